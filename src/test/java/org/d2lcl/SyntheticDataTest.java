package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


/**
 * {@code synthetic_data(w, b, n)} has the chapter's statistics: {@code X ~ N(0, 1)} and
 * {@code y = Xw + b + N(0, 0.01²)}. Each estimate is held to 5 standard errors of a sample of that
 * size (a false alarm has probability under 1e-6 for any seed), plus, for the residual, what the
 * rounding of y to float can add.
 */
class SyntheticDataTest {
    private static final double Z = 5;

    @ParameterizedTest(name = "true w [{0}], b {1}, n = {2}, seed {3}")
    @CsvSource({"2 -3.4, 4.2, 200000, 42", "10 7 5 2, 1.1, 100000, 7", "0.5, -3, 50000, 1"})
    void hasTheChaptersStatistics(String words, float trueB, int n, long seed) {
        String[] parts = words.split(" ");
        float[] trueW = new float[parts.length];
        for (int j = 0; j < parts.length; j++) {
            trueW[j] = Float.parseFloat(parts[j]);
        }
        int d = trueW.length;
        Dataset data = D2l.syntheticData(trueW, trueB, n, seed);
        assertEquals(n, data.n());
        assertEquals(d, data.d());
        float[] x = data.features();
        float[] y = data.labels();

        // X: mean 0 (standard error 1/sqrt(N)), variance 1 (standard error sqrt(2/N)) over N = n·d values.
        long count = (long) n * d;
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= count;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= count - 1;
        within("mean of X", mean, 0, Z / Math.sqrt(count));
        within("variance of X", var, 1, Z * Math.sqrt(2.0 / count));

        // The residual e = y - Xw - b, in double: mean 0 (s.e. 0.01/sqrt(n)), std 0.01 (s.e. 0.01/sqrt(2n)),
        // uncorrelated with each feature (s.e. 1/sqrt(n)). y is summed in float (d fmas, + b, the noise's
        // fma: d + 2 roundings), which moves each e by at most 1.01 (d + 2) u (sum |x_j w_j| + |b| + |e|),
        // and so the mean and the std by at most the largest of those.
        double[] e = new double[n];
        double rounding = 0;
        for (int i = 0; i < n; i++) {
            double fit = trueB;
            double magnitude = Math.abs(trueB);
            for (int j = 0; j < d; j++) {
                fit += (double) x[i * d + j] * trueW[j];
                magnitude += Math.abs((double) x[i * d + j] * trueW[j]);
            }
            e[i] = y[i] - fit;
            rounding = Math.max(rounding, 1.01 * (d + 2) * Oracle.U * (magnitude + Math.abs(e[i])));
        }
        double eMean = Arrays.stream(e).average().orElseThrow();
        double eVar = Arrays.stream(e).map(v -> (v - eMean) * (v - eMean)).sum() / (n - 1);
        within("mean of the residual", eMean, 0, Z * 0.01 / Math.sqrt(n) + rounding);
        within("std of the residual", Math.sqrt(eVar), 0.01, Z * 0.01 / Math.sqrt(2.0 * n) + rounding);
        for (int j = 0; j < d; j++) {
            double cov = 0;
            for (int i = 0; i < n; i++) {
                cov += (x[i * d + j] - mean) * (e[i] - eMean);
            }
            double corr = cov / (n - 1) / Math.sqrt(var * eVar);
            within("correlation of the residual with feature " + j, corr, 0, Z / Math.sqrt(n));
        }
    }

    private static void within(String what, double actual, double expected, double bound) {
        assertTrue(Math.abs(actual - expected) <= bound, String.format(Locale.ROOT,
                "%s = %.6g, expected %.6g within %.3g (|difference| %.3g)", what, actual, expected, bound,
                Math.abs(actual - expected)));
    }

    @Test
    void theSeedDecidesTheData() {
        Dataset a = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 42);
        Dataset b = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 42);
        Dataset c = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 43);
        assertArrayEquals(a.features(), b.features(), 0f);
        assertArrayEquals(a.labels(), b.labels(), 0f);
        assertFalse(Arrays.equals(a.features(), c.features()), "another seed, other data");
    }

    @Test
    void refusesWhatCannotBeData() {
        refused(() -> D2l.syntheticData(new float[0], 1f, 10, 1), "trueW is empty");
        refused(() -> D2l.syntheticData(new float[] {1f, Float.NaN}, 1f, 10, 1), "trueW[1] = NaN", "finite");
        refused(() -> D2l.syntheticData(new float[] {1f}, Float.POSITIVE_INFINITY, 10, 1), "trueB = Infinity",
                "finite");
        refused(() -> D2l.syntheticData(new float[] {1f}, 1f, 0, 1), "n = 0", "at least 1");
        refused(() -> D2l.syntheticData(new float[] {3e37f, -3e37f}, 1f, 10, 1), "overflow float32");
        refused(() -> D2l.syntheticData(new float[] {2f, 1f}, 1f, 1 << 30, 1), "n = 1073741824", "at most 2147483639");
    }

    /**
     * {@code Backend.syntheticData} on both backends writes the host arrays' bits into device
     * tensors, ragged sizes included.
     */
    @ParameterizedTest(name = "n = {0}, d = {1}, seed {2}: both backends draw the host arrays' bits")
    @CsvSource({"1, 1, 0", "1000, 2, 42", "4097, 13, -8070450532247928832"})
    void bothBackendsDrawTheHostArraysBits(int n, int d, long seed) {
        float[] trueW = new float[d];
        for (int j = 0; j < d; j++) {
            trueW[j] = (j % 2 == 0 ? 2f : -3.4f) / (j + 1);
        }
        Dataset data = D2l.syntheticData(trueW, 4.2f, n, seed);
        try (org.d2lcl.backend.JavaBackend java = new org.d2lcl.backend.JavaBackend();
             org.d2lcl.backend.OpenClBackend cl = new org.d2lcl.backend.OpenClBackend(
                     org.d2lcl.testing.TestDevice.get())) {
            for (org.d2lcl.backend.Backend backend : new org.d2lcl.backend.Backend[] {cl, java}) {
                try (org.d2lcl.backend.Tensor x = backend.zeros(n, d); org.d2lcl.backend.Tensor y = backend.zeros(n, 1)) {
                    backend.syntheticData(x, y, trueW, 4.2f, seed);
                    assertArrayEquals(data.features(), backend.read(x), "X on " + backend.description());
                    assertArrayEquals(data.labels(), backend.read(y), "y on " + backend.description());
                }
            }
        }
    }

    private static void refused(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should name '" + part + "'");
        }
    }
}
