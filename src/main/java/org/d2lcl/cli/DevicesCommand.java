package org.d2lcl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.d2lcl.backend.Backends;
import org.d2lcl.kernels.DeviceRequirements;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.OpenCl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code d2l-cl devices}: every platform and device, with the index {@code --device} takes. */
@Command(name = "devices", description = "List OpenCL platforms and devices.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!OpenCl.isAvailable()) {
            out.println(Backends.NO_OPENCL);
            out.println("java  the Java reference backend (--device java)");
            return 0;
        }
        List<ClDevice> devices = ClDevice.all();
        if (devices.isEmpty()) {
            out.println(Backends.NO_OPENCL);
        }
        ClDevice chosen = devices.isEmpty() ? null : Backends.defaultDevice(devices);
        for (ClDevice device : devices) {
            List<String> unmet = DeviceRequirements.unmet(DeviceRequirements.Facts.of(device));
            out.println(device.summary() + (device == chosen && unmet.isEmpty() ? "\n   (default)" : "")
                    + (unmet.isEmpty() ? "" : "\n   cannot run the kernels: " + String.join("; ", unmet)));
        }
        out.println("java  the Java reference backend (--device java)");
        return 0;
    }
}
