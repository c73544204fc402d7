package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.d2lcl.backend.Backends;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.OpenCl;

/**
 * The OpenCL device the tests run on: {@code D2LCL_DEVICE} when set, else the default choice.
 * A missing runtime or device fails the test, loudly; OpenCL tests are never skipped.
 */
public final class TestDevice {
    private TestDevice() {
    }

    public static ClDevice get() {
        if (!OpenCl.isAvailable()) {
            fail("no OpenCL runtime: the OpenCL tests need a device (CI=" + System.getenv("CI")
                    + "). Install one with: " + OpenCl.INSTALL_COMMAND);
        }
        List<ClDevice> devices = ClDevice.all();
        if (devices.isEmpty()) {
            fail("the OpenCL runtime lists no device; install one with: " + OpenCl.INSTALL_COMMAND);
        }
        String spec = System.getenv(Backends.ENV);
        return spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("java")
                ? Backends.defaultDevice(devices)
                : Backends.select(devices, spec);
    }
}
