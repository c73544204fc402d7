package org.d2lcl.testing;

import java.util.Arrays;
import java.util.Random;

/** Fresh random inputs for the kernel tests, and the poison their outputs start from. */
public final class Inputs {
    /** Floats past the end of every output buffer: a kernel that writes past its shape spoils them. */
    public static final int PAD = 67;

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

    /**
     * {@code n} floats of both signs with exponents spread over 2^-20 .. 2^20, so that rounding is
     * exercised at every scale; squares and products stay far from overflow and underflow.
     */
    public static float[] wide(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * Math.scalb(1.0, rng.nextInt(41) - 20));
        }
        return x;
    }

    /** {@code n} floats filled with NaN: an output poisoned before a kernel writes it. */
    public static float[] nan(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    /** The first {@code n} values of {@code x}. */
    public static float[] head(float[] x, int n) {
        return Arrays.copyOf(x, n);
    }

    /** Every ordered pair of {@code values}: {y_hat, y} of length values.length², y_hat the slower index. */
    public static float[][] pairs(float[] values) {
        int n = values.length * values.length;
        float[] yHat = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            yHat[i] = values[i / values.length];
            y[i] = values[i % values.length];
        }
        return new float[][] {yHat, y};
    }
}
