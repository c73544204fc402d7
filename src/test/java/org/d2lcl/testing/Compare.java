package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/**
 * Comparisons that tell the whole story when they fail: how many elements are off, and for the
 * first few the index, expected, actual and the bound.
 */
public final class Compare {
    private static final int SHOWN = 5;

    private Compare() {
    }

    /** Every element bit for bit ({@code Float.floatToRawIntBits}), NaN included. */
    public static void bitwise(String what, float[] expected, float[] actual, int n) {
        StringBuilder report = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                if (bad++ < SHOWN) {
                    report.append(String.format(Locale.ROOT, "%n  [%d] expected %s (0x%08x), actual %s (0x%08x)", i,
                            expected[i], Float.floatToRawIntBits(expected[i]), actual[i],
                            Float.floatToRawIntBits(actual[i])));
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + n + " elements differ bitwise from the reference" + report);
        }
    }

    /** {@link #bitwise} on the first {@code n} values, and {@link #untouchedAfter} them: the kernel's whole output. */
    public static void exactly(String what, float[] expected, float[] actual, int n) {
        bitwise(what, expected, actual, n);
        untouchedAfter(what, actual, n);
    }

    /**
     * The {@link Inputs#PAD} floats after the first {@code n} of {@code actual} are still the NaN
     * they were poisoned with: the kernel wrote nothing past its shape.
     */
    public static void untouchedAfter(String what, float[] actual, int n) {
        StringBuilder report = new StringBuilder();
        int bad = 0;
        for (int i = n; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(Float.NaN)) {
                if (bad++ < SHOWN) {
                    report.append(String.format(Locale.ROOT, "%n  [%d] = %s", i, actual[i]));
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of the " + (actual.length - n) + " floats past element " + n
                    + " were written; a kernel must write nothing outside its output" + report);
        }
    }

    /** {@code |actual[i] - exact[i]| <= bound[i]} for every i; NaN never passes. */
    public static void within(String what, double[] exact, float[] actual, double[] bound, int n) {
        StringBuilder report = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < n; i++) {
            double err = Math.abs(actual[i] - exact[i]);
            if (!(err <= bound[i])) {
                if (bad++ < SHOWN) {
                    report.append(String.format(Locale.ROOT, "%n  [%d] exact %.9g, actual %.9g, |err| %.3g > bound %.3g",
                            i, exact[i], actual[i], err, bound[i]));
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + n + " elements outside the bound" + report);
        }
    }
}
