package org.d2lcl;

import java.util.Random;

/**
 * The random streams of a run, all derived from one seed, so that a run is reproduced by its seed
 * and an epoch's shuffle by (seed, epoch) alone.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {
    }

    /** The stream {@link D2l#syntheticData} draws X and the noise from. */
    public static Random data(long seed) {
        return new Lcg(seed);
    }

    /** The stream the initial parameters {@code w ~ N(0, 0.01)} are drawn from. */
    public static Random init(long seed) {
        return new Lcg(seed ^ GOLDEN);
    }

    /** The stream that shuffles the examples in epoch {@code epoch} (1-based). */
    public static Random shuffle(long seed, int epoch) {
        return new Lcg(seed ^ (GOLDEN * (epoch + 1L)));
    }

    /** The stream that chooses the held-out examples ({@link Holdout#split}). */
    public static Random holdout(long seed) {
        return new Lcg(seed ^ -GOLDEN);
    }

    /**
     * {@code java.util.Random}'s numbers, bit for bit: its generator is specified (a 48-bit linear
     * congruential generator, {@code next(bits)} in its documentation), and every other method
     * draws through {@code next}. Here the state is a plain field: a run's streams are used by one
     * thread, and the atomic update {@code Random} makes on every draw is half the cost of an
     * epoch's shuffle of 2^20 examples.
     */
    static final class Lcg extends Random {
        private static final long MULTIPLIER = 0x5DEECE66DL;
        private static final long ADDEND = 0xBL;
        private static final long MASK = (1L << 48) - 1;

        /** Set by {@link #setSeed}, which {@code Random}'s constructor calls. */
        private long state;

        Lcg(long seed) {
            super(seed);
        }

        @Override
        public synchronized void setSeed(long seed) {
            super.setSeed(seed);
            state = (seed ^ MULTIPLIER) & MASK;
        }

        @Override
        protected int next(int bits) {
            state = (state * MULTIPLIER + ADDEND) & MASK;
            return (int) (state >>> (48 - bits));
        }
    }
}
