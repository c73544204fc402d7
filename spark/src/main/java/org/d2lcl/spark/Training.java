package org.d2lcl.spark;

import java.util.Locale;

/** The two ways a fit runs ({@code mode}), and what they share. */
final class Training {
    /** {@code sync}: {@link SynchronousSgd}. */
    static final String SYNC = "sync";
    /** {@code local}: {@link LocalSgd}. */
    static final String LOCAL = "local";

    private Training() {
    }

    /** {@code mode} as the estimator keeps it, or an {@link IllegalArgumentException} naming what is allowed. */
    static String mode(String mode) {
        String m = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        if (!m.equals(SYNC) && !m.equals(LOCAL)) {
            throw new IllegalArgumentException("mode '" + mode + "': must be " + SYNC
                    + " (synchronous minibatch SGD, one job per minibatch) or " + LOCAL
                    + " (local SGD, partitions' parameters averaged after every epoch)");
        }
        return m;
    }

    /** Trains {@code blocks} in {@code mode}; returns {@code w} then {@code b}. */
    static float[] fit(String mode, Blocks blocks, Rule rule, int epochs, long seed, float[] w0, String device) {
        return mode.equals(LOCAL) ? LocalSgd.fit(blocks, rule, epochs, seed, w0, device)
                : SynchronousSgd.fit(blocks, rule, epochs, seed, w0, device);
    }

    /** Throws when a parameter is not finite after {@code epoch}. */
    static void checkFinite(float[] w, float b, int epoch, Rule rule) {
        boolean finite = Float.isFinite(b);
        for (float v : w) {
            finite &= Float.isFinite(v);
        }
        if (!finite) {
            diverged(epoch, rule);
        }
    }

    static void diverged(int epoch, Rule rule) {
        throw new IllegalStateException("training diverged in epoch " + epoch + ": a parameter is not finite;"
                + " lower the step size (" + rule.lr() + ")");
    }

    /** {@code a += b}, elementwise; returns {@code a}: the aggregations' sum. */
    static double[] add(double[] a, double[] b) {
        for (int j = 0; j < a.length; j++) {
            a[j] += b[j];
        }
        return a;
    }
}
