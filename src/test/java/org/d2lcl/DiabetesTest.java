package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Standardization;
import org.d2lcl.testing.TestData;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/**
 * Real data: the diabetes dataset, standardized, trained by SGD on both backends and held against
 * least squares solved exactly (in double, by the normal equations), which no linear model can beat.
 */
class DiabetesTest {
    /** The Java backend's first three epoch losses with seed 42, batch 10, lr 0.01, pinned. */
    private static final double[] PINNED = {6429.8591628959275, 3478.3328619909503, 2282.5036764705883};

    private static Dataset data;
    private static double leastSquaresLoss;

    @BeforeAll
    static void load(@TempDir Path dir) {
        CsvTable table = CsvTable.read(TestData.diabetes(dir));
        Dataset raw = table.dataset(table.column("progression"));
        data = Standardization.fit(raw).apply(raw);
        leastSquaresLoss = leastSquaresLoss(data);
    }

    @ParameterizedTest(name = "OpenCL {0}: 30 epochs come within 1% of least squares, never below it")
    @ValueSource(booleans = {true, false})
    void sgdApproachesLeastSquares(boolean onOpenCl) {
        try (Device dev = onOpenCl ? Device.of(new OpenClBackend(TestDevice.get())) : Device.java();
             LinearRegression net = LinearRegression.on(dev, data, new TrainConfig(10, 0.01f, 30, 42))) {
            double[] losses = net.fit();
            for (int e = 0; e < PINNED.length; e++) {
                assertEquals(PINNED[e], losses[e], 1e-5 * PINNED[e], "epoch " + (e + 1) + " loss on " + dev);
            }
            double loss = losses[losses.length - 1];
            assertTrue(loss >= leastSquaresLoss * (1 - 1e-6) && loss <= leastSquaresLoss * 1.01, String.format(
                    "on %s: loss after 30 epochs %.6f, least squares %.6f (ratio %.5f), expected [1, 1.01]", dev,
                    loss, leastSquaresLoss, loss / leastSquaresLoss));
            assertEquals(loss, net.loss(data), 1e-5 * loss,
                    "loss(data) on the training data is the epoch loss, to the precision of the pinned losses (the"
                            + " epoch kernel sums its loss itself, loss(data) through reduce.cl)");
        }
    }

    /** {@code min over w, b of mean((X w + b - y)^2 / 2)}: the normal equations by Gauss-Jordan in double. */
    static double leastSquaresLoss(Dataset z) {
        int n = z.n();
        int d = z.d();
        int m = d + 1;
        double[][] a = new double[m][m + 1];
        double[] row = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = z.features()[i * d + j];
            }
            row[d] = 1;
            for (int p = 0; p < m; p++) {
                for (int q = 0; q < m; q++) {
                    a[p][q] += row[p] * row[q];
                }
                a[p][m] += row[p] * z.labels()[i];
            }
        }
        for (int c = 0; c < m; c++) {
            int pivot = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < m; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= m; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double yHat = a[d][m] / a[d][d];
            for (int j = 0; j < d; j++) {
                yHat += a[j][m] / a[j][j] * z.features()[i * d + j];
            }
            double r = yHat - z.labels()[i];
            sum += r * r / 2;
        }
        return sum / n;
    }
}
