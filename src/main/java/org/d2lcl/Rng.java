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
        return new Random(seed);
    }

    /** The stream the initial parameters {@code w ~ N(0, 0.01)} are drawn from. */
    public static Random init(long seed) {
        return new Random(seed ^ GOLDEN);
    }

    /** The stream that shuffles the examples in epoch {@code epoch} (1-based). */
    public static Random shuffle(long seed, int epoch) {
        return new Random(seed ^ (GOLDEN * (epoch + 1L)));
    }

    /** The stream that chooses the held-out examples ({@link Holdout#split}). */
    public static Random holdout(long seed) {
        return new Random(seed ^ -GOLDEN);
    }
}
