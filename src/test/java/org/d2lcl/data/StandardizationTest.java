package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Test;

/** {@link Standardization} against statistics computed here, independently, in double. */
class StandardizationTest {

    /** n rows of d features, feature j ~ N(10 j, (j + 1)^2), labels arbitrary. */
    private static Dataset data(Random rng, int n, int d) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (10 * j + (j + 1) * rng.nextGaussian());
            }
            y[i] = (float) rng.nextGaussian();
        }
        return new Dataset(x, y, n, d);
    }

    @Test
    void fitIsTheMeanAndThePopulationStd() {
        Dataset data = data(new Random(1), 1001, 4);
        Standardization s = Standardization.fit(data);
        for (int j = 0; j < 4; j++) {
            // One pass of sums of x and x^2 in double: a different formula from fit's two passes.
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < data.n(); i++) {
                double v = data.features()[i * 4 + j];
                sum += v;
                sumSq += v * v;
            }
            double mean = sum / data.n();
            double std = Math.sqrt(sumSq / data.n() - mean * mean);
            assertEquals(mean, s.mean()[j], 1e-12 * Math.abs(mean) + 1e-12, "mean of feature " + j);
            // The one-pass formula loses about mean^2/var * 2^-52 relative; 1e-9 covers it with room.
            assertEquals(std, s.std()[j], 1e-9 * std, "std of feature " + j + " (divided by n, not n - 1)");
        }
    }

    @Test
    void standardizedTrainingFeaturesHaveMeanZeroAndStdOne() {
        Dataset data = data(new Random(2), 500, 3);
        Dataset z = Standardization.fit(data).apply(data);
        assertSame(data.labels(), z.labels(), "labels pass through untouched");
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            double sumAbs = 0;
            double sumSq = 0;
            for (int i = 0; i < z.n(); i++) {
                double v = z.features()[i * 3 + j];
                sum += v;
                sumAbs += Math.abs(v);
                sumSq += v * v;
            }
            // Each value is the exact one rounded once to float: |error| <= u |value|.
            double meanBound = 2 * Oracle.U * sumAbs / z.n();
            assertTrue(Math.abs(sum / z.n()) <= meanBound,
                    "feature " + j + ": mean " + sum / z.n() + ", bound " + meanBound);
            double var = sumSq / z.n() - (sum / z.n()) * (sum / z.n());
            assertEquals(1.0, var, 4 * Oracle.U, "feature " + j + ": variance after standardizing");
        }
    }

    @Test
    void aConstantFeatureIsCentredNotDividedByZero() {
        float[] x = {3f, 1f, 3f, 2f, 3f, 3f};
        Dataset data = new Dataset(x, new float[] {0f, 1f, 2f}, 3, 2);
        Standardization s = Standardization.fit(data);
        assertEquals(3.0, s.mean()[0]);
        assertEquals(1.0, s.std()[0], "a constant feature gets std 1");
        float[] z = s.apply(x, 3);
        assertEquals(0f, z[0]);
        assertEquals(0f, z[2]);
        assertEquals(0f, z[4]);
    }

    @Test
    void otherDataIsScaledWithTheTrainingStatistics() {
        Standardization s = Standardization.of(new double[] {1, -2}, new double[] {2, 0.5});
        float[] z = s.apply(new float[] {5f, -2f, 1f, -1.5f}, 2);
        assertArrayEquals(new float[] {2f, 0f, 0f, 1f}, z, 0f);
    }

    @Test
    void equalStatisticsAreEqual() {
        Dataset data = data(new Random(3), 50, 2);
        assertEquals(Standardization.fit(data), Standardization.fit(data));
        assertEquals(Standardization.fit(data).hashCode(), Standardization.fit(data).hashCode());
    }

    @Test
    void badStatisticsAreRefusedByName() {
        DataException e = assertThrows(DataException.class,
                () -> Standardization.of(new double[] {0, 0}, new double[] {1, 0}));
        assertEquals("standardization std[1] = 0.0: it must be a finite number > 0", e.getMessage());
        e = assertThrows(DataException.class, () -> Standardization.of(new double[] {Double.NaN}, new double[] {1}));
        assertEquals("standardization mean[0] = NaN: it must be finite", e.getMessage());
        e = assertThrows(DataException.class, () -> Standardization.of(new double[] {0}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("1 means and 2 deviations"), e.getMessage());
        Standardization s = Standardization.of(new double[] {0, 0}, new double[] {1, 1});
        e = assertThrows(DataException.class, () -> s.apply(new float[3], 2));
        assertTrue(e.getMessage().startsWith("3 feature values for 2 rows"), e.getMessage());
    }
}
