package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Rng}'s streams draw {@code java.util.Random}'s numbers exactly, whatever is drawn from them
 * and in whatever mix, so that a run's data, initial parameters and shuffles are those of its seed.
 */
class RngTest {
    @ParameterizedTest(name = "seed {0}: 10^5 mixed draws equal java.util.Random's")
    @ValueSource(longs = {0L, 1L, 42L, -7L, Long.MIN_VALUE, 0x9E3779B97F4A7C15L})
    void drawsWhatRandomDraws(long seed) {
        Random expected = new Random(seed);
        Random actual = new Rng.Lcg(seed);
        for (int t = 0; t < 100_000; t++) {
            String what = "seed " + seed + ", draw " + t;
            switch (t % 7) {
                case 0 -> assertEquals(expected.nextInt(t + 1), actual.nextInt(t + 1), what + ": nextInt(bound)");
                case 1 -> assertEquals(expected.nextInt(1 << (t % 31)), actual.nextInt(1 << (t % 31)), what);
                case 2 -> assertEquals(expected.nextGaussian(), actual.nextGaussian(), what + ": nextGaussian");
                case 3 -> assertEquals(expected.nextLong(), actual.nextLong(), what + ": nextLong");
                case 4 -> assertEquals(expected.nextDouble(), actual.nextDouble(), what + ": nextDouble");
                case 5 -> assertEquals(expected.nextFloat(), actual.nextFloat(), what + ": nextFloat");
                default -> assertEquals(expected.nextInt(), actual.nextInt(), what + ": nextInt()");
            }
        }
        expected.setSeed(seed + 1);
        actual.setSeed(seed + 1);
        assertEquals(expected.nextGaussian(), actual.nextGaussian(), "after setSeed");
        assertEquals(expected.nextInt(1000), actual.nextInt(1000), "after setSeed");
    }

    @ParameterizedTest(name = "seed {0}: an epoch's shuffle stream is Random(seed ^ golden·(epoch + 1))")
    @ValueSource(longs = {42L, 7L})
    void shuffleStreamIsTheSeedsRandom(long seed) {
        for (int epoch = 1; epoch <= 3; epoch++) {
            Random expected = new Random(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
            Random actual = Rng.shuffle(seed, epoch);
            for (int i = 1 << 20; i > 1 << 20 - 1000; i--) {
                assertEquals(expected.nextInt(i), actual.nextInt(i), "epoch " + epoch + ", nextInt(" + i + ")");
            }
        }
    }
}
