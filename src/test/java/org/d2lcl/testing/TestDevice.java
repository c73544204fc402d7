package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.d2lcl.Device;
import org.d2lcl.backend.Backends;
import org.d2lcl.backend.OpenClBackend;
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
            fail("the OpenCL tests need a device (no OpenCL runtime; CI=" + System.getenv("CI") + "): "
                    + Backends.NO_OPENCL);
        }
        List<ClDevice> devices = ClDevice.all();
        if (devices.isEmpty()) {
            fail("the OpenCL tests need a device (the OpenCL runtime lists none): " + Backends.NO_OPENCL);
        }
        String spec = System.getenv(Backends.ENV);
        return spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("java")
                ? Backends.defaultDevice(devices)
                : Backends.select(devices, spec);
    }

    /** The Java backend, or an OpenCL backend on {@link #get()}'s device, as a {@link Device}. */
    public static Device device(boolean java) {
        return java ? Device.java() : Device.of(new OpenClBackend(get()));
    }
}
