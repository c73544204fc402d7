package org.d2lcl.testing;

import java.util.Random;

/** Fresh random inputs for the kernel tests. */
public final class Inputs {
    private Inputs() {
    }

    /** {@code n} floats from N(0, 1). */
    public static float[] gaussian(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** {@code n} floats filled with NaN: an output poisoned before a kernel writes it. */
    public static float[] nan(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, Float.NaN);
        return x;
    }
}
