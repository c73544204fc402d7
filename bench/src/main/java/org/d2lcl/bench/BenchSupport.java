package org.d2lcl.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.d2lcl.backend.Backends;
import org.d2lcl.opencl.ClDevice;
import org.jocl.blast.CLBlastStatusCode;

/** What the benchmarks share: the device, inputs, size strings and result checks. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** {@code D2LCL_DEVICE} when set, else the trainer's default device (first GPU, else CPU). */
    static ClDevice device() {
        List<ClDevice> devices = ClDevice.all();
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL device: the benchmarks need one");
        }
        String spec = System.getenv(Backends.ENV);
        return spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("java")
                ? Backends.defaultDevice(devices)
                : Backends.select(devices, spec);
    }

    /** {@code n} floats uniform in [-1, 1): fast to make, so setup stays short at 2^25 values. */
    static float[] uniform(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return x;
    }

    /** {@code "512"} is {512}, {@code "4194304x2"} is {4194304, 2}. */
    static int[] dims(String size) {
        String[] parts = size.split("x");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Integer.parseInt(parts[i]);
        }
        return dims;
    }

    /** The identity permutation: a full batch read through the index buffer in order. */
    static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    static void clblast(int status, String call) {
        if (status != CLBlastStatusCode.CLBlastSuccess) {
            throw new IllegalStateException(call + " failed: " + CLBlastStatusCode.stringFor(status));
        }
    }

    /**
     * Fails the trial when {@code actual} is further from {@code exact} than {@code bound}: each
     * benchmark checks its own result once, so a fast wrong answer never makes the table.
     */
    static void check(String what, double exact, double actual, double bound) {
        if (!(Math.abs(actual - exact) <= bound)) {
            throw new IllegalStateException(what + ": " + actual + " differs from " + exact + " by "
                    + Math.abs(actual - exact) + " > " + bound);
        }
    }

    /** Unit roundoff of float32. */
    static final double U = Math.scalb(1.0, -24);
}
