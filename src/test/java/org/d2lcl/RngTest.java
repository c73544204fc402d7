package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Rng}'s streams are SplitMix64's, checked against the JDK's own implementation of it
 * ({@code SplittableRandom}, whose {@code nextLong} is one step of the generator), and every
 * distinct 64-bit seed gives a stream of its own.
 */
class RngTest {
    @ParameterizedTest(name = "seed {0}: 10^5 draws of 32 bits are SplittableRandom's nextLong's top half")
    @ValueSource(longs = {0L, 1L, 42L, -7L, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L})
    void drawsWhatSplitMix64Draws(long seed) {
        SplittableRandom expected = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        Random actual = Rng.init(seed);
        for (int t = 0; t < 100_000; t++) {
            assertEquals((int) (expected.nextLong() >>> 32), actual.nextInt(), "seed " + seed + ", draw " + t);
        }
        actual.setSeed(seed + 1);
        assertEquals((int) (new SplittableRandom(seed + 1).nextLong() >>> 32), actual.nextInt(), "after setSeed");
    }

    /** Seeds that a 48-bit generator (java.util.Random's) takes for one and the same stream. */
    @ParameterizedTest(name = "seeds {0} and {1}: different streams")
    @CsvSource({"-1, 9223372036854775807", "0, 281474976710656", "42, -9223372036854775766"})
    void distinctSeedsGiveDistinctStreams(long a, long b) {
        assertEquals(new Random(a).nextLong(), new Random(b).nextLong(), "the 48-bit generator cannot tell them apart");
        for (Random[] pair : new Random[][] {{Rng.init(a), Rng.init(b)},
            {Rng.shuffle(a, 1), Rng.shuffle(b, 1)}, {Rng.holdout(a), Rng.holdout(b)}}) {
            assertNotEquals(pair[0].nextLong(), pair[1].nextLong(), "seeds " + a + " and " + b);
        }
    }

    @ParameterizedTest(name = "seed {0}: an epoch's shuffle stream is SplitMix64(seed ^ golden·(epoch + 1))")
    @ValueSource(longs = {42L, 7L})
    void shuffleStreamIsTheSeedsSplitMix(long seed) {
        for (int epoch = 1; epoch <= 3; epoch++) {
            SplittableRandom expected = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
            Random actual = Rng.shuffle(seed, epoch);
            for (int t = 0; t < 1000; t++) {
                assertEquals((int) (expected.nextLong() >>> 32), actual.nextInt(), "epoch " + epoch + ", draw " + t);
            }
        }
    }
}
