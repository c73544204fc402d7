package org.d2lcl;

import java.util.Random;

/**
 * The random streams of a run on the host, all derived from one seed, so that a run is reproduced by
 * its seed and an epoch's shuffle by (seed, epoch) alone. (The synthetic data is drawn from
 * Philox4x32-10, counter-based, on the device or the host: {@link D2l#syntheticData}.)
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {
    }

    /** The stream the initial parameters {@code w ~ N(0, 0.01)} are drawn from. */
    public static Random init(long seed) {
        return new SplitMix(seed ^ GOLDEN);
    }

    /** The stream that shuffles the examples in epoch {@code epoch} (1-based). */
    public static Random shuffle(long seed, int epoch) {
        return new SplitMix(seed ^ (GOLDEN * (epoch + 1L)));
    }

    /** The stream that chooses the held-out examples ({@link org.d2lcl.data.Holdout#split}). */
    public static Random holdout(long seed) {
        return new SplitMix(seed ^ -GOLDEN);
    }

    /**
     * Fills {@code order} with a uniformly random permutation of {@code 0 .. order.length - 1} and
     * returns it: the Fisher–Yates shuffle, {@code j = rng.nextInt(i + 1)} for {@code i} from
     * {@code n - 1} down to 1, swapping {@code order[i]} and {@code order[j]}. The one permutation of
     * the library (the epochs' shuffles, the holdout's split), its tests and its benchmarks.
     */
    public static int[] permutation(int[] order, Random rng) {
        int n = order.length;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * SplitMix64 (Steele, Lea and Flood, 2014), the generator of {@code java.util.SplittableRandom}:
     * a 64-bit state advanced by the golden gamma and mixed (Stafford's variant 13), so every one of
     * the 2^64 seeds starts a stream of its own; {@code next(bits)} takes the mix's top bits and
     * every other {@code Random} method draws through it. The state is a plain field: a run's
     * streams are used by one thread, and an epoch's shuffle of 2^20 examples draws 2^20 times.
     */
    static final class SplitMix extends Random {
        /** Set by {@link #setSeed}, which {@code Random}'s constructor calls. */
        private long state;

        SplitMix(long seed) {
            super(seed);
        }

        @Override
        public synchronized void setSeed(long seed) {
            super.setSeed(seed);
            state = seed;
        }

        @Override
        protected int next(int bits) {
            state += GOLDEN;
            return (int) (mix(state) >>> (64 - bits));
        }
    }

    /** SplitMix64's output for a state: Stafford's variant 13 of the finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
