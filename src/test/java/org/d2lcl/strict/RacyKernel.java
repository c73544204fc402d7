package org.d2lcl.strict;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.testing.TestDevice;

/** Runs {@code kernels/test/racy.cl} once on the test device, for {@link StrictDeviceTest}. */
public final class RacyKernel {
    private RacyKernel() {
    }

    public static void main(String[] args) {
        ClDevice device = TestDevice.get();
        int items = (int) Math.min(4, device.maxLocalSize());
        try (Context context = Context.create(device); Buffer out = context.ints(1 + items);
                Kernel racy = context.program("test/racy.cl", "-cl-std=CL1.2").kernel("racy")) {
            racy.arg(0, out).launch(items, items);
            context.finish();
        }
        System.out.println("racy.cl ran on " + device);
    }
}
