package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.d2lcl.backend.Backend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeldOutLossTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    private static Backend backend(boolean onOpenCl) {
        return onOpenCl ? backends.openCl() : backends.java();
    }

    @ParameterizedTest(name = "OpenCL {0}: the held-out loss of the training data is Trainer.loss(), exactly")
    @ValueSource(booleans = {true, false})
    void onTheTrainingDataItIsTheTrainersLoss(boolean onOpenCl) {
        Backend backend = backend(onOpenCl);
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        try (Trainer trainer = new Trainer(backend, data, TrainConfig.DEFAULT);
             HeldOutLoss heldOut = new HeldOutLoss(backend, data)) {
            for (int epoch = 0; epoch <= 2; epoch++) {
                assertEquals(trainer.loss(), heldOut.loss(trainer.w(), trainer.b()), 0.0,
                        "after " + epoch + " epochs, on " + backend.description());
                trainer.epoch();
            }
        }
    }

    @ParameterizedTest(name = "OpenCL {2}: {0} examples x {1} features within the computed bound")
    @CsvSource({"1, 1, true", "1000, 2, true", "4099, 13, true", "1000003, 2, true", "4099, 13, false"})
    void matchesTheOracle(int n, int d, boolean onOpenCl) {
        Backend backend = backend(onOpenCl);
        Random rng = new Random(n * 7L + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        float[] w = Inputs.gaussian(rng, d);
        float b = (float) rng.nextGaussian();
        double[] bound = new double[1];
        double exact = meanSquaredLoss(bound, x, y, w, b, n, d);
        try (HeldOutLoss heldOut = new HeldOutLoss(backend, new Dataset(x, y, n, d))) {
            double loss = heldOut.loss(w, b);
            assertTrue(Math.abs(loss - exact) <= bound[0], String.format(
                    "%d x %d on %s: loss %.9g, exact %.9g, |err| %.3g > bound %.3g", n, d, backend.description(),
                    loss, exact, Math.abs(loss - exact), bound[0]));
        }
    }

    /**
     * {@code mean((x·w + b - y)^2 / 2)} in double, and in {@code bound[0]} how far the float32 kernels
     * may be from it: {@code yHat} within the matmul bound {@code e = (d+1) u (Σ|x w| + |b|)}, the
     * residual within {@code δ = e + u (|r| + e)}, each loss within
     * {@code a = (2|r| + δ) δ / 2 + u (|r| + δ)^2 / 2}, and the sum of n terms within
     * {@code n u Σ (l + a)}.
     */
    static double meanSquaredLoss(double[] bound, float[] x, float[] y, float[] w, float b, int n, int d) {
        double sum = 0;
        double err = 0;
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            double yHat = b;
            double abs = Math.abs(b);
            for (int j = 0; j < d; j++) {
                yHat += (double) x[i * d + j] * w[j];
                abs += Math.abs((double) x[i * d + j] * w[j]);
            }
            double r = yHat - y[i];
            double e = (d + 1) * Oracle.U * abs;
            double delta = e + Oracle.U * (Math.abs(r) + e);
            double a = (2 * Math.abs(r) + delta) * delta / 2 + Oracle.U * (Math.abs(r) + delta) * (Math.abs(r) + delta) / 2;
            double l = r * r / 2;
            sum += l;
            err += a;
            sumAbs += l + a;
        }
        bound[0] = (err + n * Oracle.U * sumAbs) / n;
        return sum / n;
    }
}
