package org.d2lcl.testing;

import java.util.Arrays;
import java.util.Locale;

/** What a failing training test prints of a run: the loss, w and b after each epoch. */
public final class Runs {
    private Runs() {
    }

    /** One line per epoch: {@code epoch e: loss ..., w [...], b ...}. */
    public static String describe(float[][] w, float[] b, double[] loss) {
        StringBuilder s = new StringBuilder();
        for (int e = 0; e < loss.length; e++) {
            s.append(String.format(Locale.ROOT, "%n  epoch %d: loss %.9g, w %s, b %s", e + 1, loss[e],
                    Arrays.toString(w[e]), b[e]));
        }
        return s.toString();
    }
}
