package org.d2lcl.kernels;

import org.d2lcl.opencl.ClDevice;

/**
 * Work-group and tile sizes chosen from a device's limits, passed to the {@code .cl} files as
 * {@code -D} options. Defaults are safe on any device; nothing here exceeds a device limit.
 */
public final class Tuning {
    private Tuning() {
    }

    /**
     * Options every program is built with: OpenCL C 1.2, and IEEE division where the device offers
     * it so that {@code a / b} rounds as in Java.
     */
    public static String baseOptions(ClDevice device) {
        StringBuilder options = new StringBuilder("-cl-std=CL1.2");
        if (device.correctlyRoundedDivide()) {
            options.append(" -cl-fp32-correctly-rounded-divide-sqrt");
        }
        return options.toString();
    }

    /** The largest power of two {@code <= min(preferred, device limit)}. */
    public static int workGroup(ClDevice device, int preferred) {
        long limit = Math.min(preferred, device.maxWorkGroupSize());
        return Integer.highestOneBit((int) Math.max(1, limit));
    }

    /** Square matmul tile edge: 16 where a 16x16 group and two 16x16 float tiles fit, else 8, 4... */
    public static int matmulTile(ClDevice device) {
        int tile = 16;
        while (tile > 1 && ((long) tile * tile > device.maxWorkGroupSize()
                || 2L * tile * tile * Float.BYTES > device.localMemBytes())) {
            tile /= 2;
        }
        return tile;
    }

    static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }
}
