package org.d2lcl.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * Numbers with six decimals, as d2l's Python writes them ({@code f"{x:f}"}, NumPy's and PyTorch's
 * {@code %f}): the exact binary value rounded half to even, with the sign of a negative value that
 * rounds to zero ({@code -0.000000}). Java's {@code %f} rounds the shortest decimal form instead, half
 * up, which can differ in the last digit; and its first use costs a cold JVM 35 to 45 ms (the
 * formatter's pattern and the locale's data), a tenth of the chapter's run. NaN and the infinities
 * are written as {@code %f} writes them.
 */
final class Fixed {
    private Fixed() {
    }

    /** {@code value} with six decimals. */
    static String of(double value) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%f", value);
        }
        String digits = new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        return negative && digits.charAt(0) != '-' ? "-" + digits : digits;
    }

    /** {@code [a, b, ...]}, each as {@link #of(double)} writes it. */
    static String list(float[] values) {
        return list(values.length, i -> values[i]);
    }

    /** {@code [a, b, ...]}, each as {@link #of(double)} writes it. */
    static String list(double[] values) {
        return list(values.length, i -> values[i]);
    }

    private static String list(int count, IntToDoubleFunction value) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(of(value.applyAsDouble(i)));
        }
        return sb.append(']').toString();
    }
}
