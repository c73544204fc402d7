package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.Runs;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;


/**
 * The three kernel paths of the trainer, each run from the same seed on the Java and the OpenCL
 * backend: the parameters agree to 1e-5 (FUSED and EPOCH, whose kernels repeat their references'
 * operations, bit for bit), each path agrees with UNFUSED to 1e-5, FUSED and EPOCH agree bit for
 * bit, a repeated run gives the same bits, and the chapter's run converges on every path.
 */
class TrainerKernelsTest {
    private static final double PARAMETERS = 1e-5;

    /** The parameters and losses of a whole run. */
    record Run(float[][] w, float[] b, double[] loss) {
        String describe() {
            return Runs.describe(w, b, loss);
        }
    }

    /** Each epoch's loss ({@link TrainConfig#batchLosses}: its batch losses' sum), w and b. */
    static Run run(Backend backend, Dataset data, TrainConfig config) {
        int epochs = config.epochs();
        Run run = new Run(new float[epochs][], new float[epochs], new double[epochs]);
        try (Trainer trainer = new Trainer(backend, data, config)) {
            for (int e = 0; e < epochs; e++) {
                double after = trainer.epoch();
                run.loss[e] = config.batchLosses() ? trainer.batchLosses() : after;
                run.w[e] = trainer.w();
                run.b[e] = trainer.b();
            }
        }
        return run;
    }

    static Run run(Kernels kernels, boolean onJava, Dataset data, TrainConfig config) {
        try (Backend backend = onJava ? new JavaBackend() : new OpenClBackend(TestDevice.get())) {
            return run(backend, data, config.withKernels(kernels));
        }
    }

    @ParameterizedTest(name = "{0}: Java and OpenCL agree on the chapter's run, which converges")
    @EnumSource(Kernels.class)
    void javaAndOpenClAgreeAndConverge(Kernels kernels) {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        Run java = run(kernels, true, data, TrainConfig.DEFAULT);
        Run cl = run(kernels, false, data, TrainConfig.DEFAULT);
        String story = "\nJava:" + java.describe() + "\nOpenCL:" + cl.describe();
        boolean bitwise = kernels != Kernels.UNFUSED;
        agree(kernels + " Java vs OpenCL", java, cl, bitwise, story);
        for (Run r : new Run[] {java, cl}) {
            assertTrue(r.loss[2] < 2e-4, kernels + ": epoch-3 loss " + r.loss[2] + " is not < 2e-4" + story);
            float[] w = r.w[2];
            assertTrue(Math.abs(2f - w[0]) < 0.01 && Math.abs(-3.4f - w[1]) < 0.01 && Math.abs(4.2f - r.b[2]) < 0.01,
                    kernels + ": |error| of w or b not < 0.01" + story);
        }
    }

    @ParameterizedTest(name = "n {0}, d {1}, batch {2}, lr {3}, {4} epochs: FUSED = EPOCH bitwise, both = UNFUSED to 1e-5")
    @CsvSource({"1000, 2, 10, 0.03, 3", "1000, 4, 7, 0.03, 3", "999, 3, 999, 0.1, 2", "4099, 17, 256, 0.05, 3",
        "16384, 64, 256, 0.03, 1"})
    void everyPathAgreesWithTheUnfusedPath(int n, int d, int batchSize, float lr, int epochs) {
        float[] trueW = new float[d];
        for (int j = 0; j < d; j++) {
            trueW[j] = (j % 3) - 1.5f + 0.25f * j / d;
        }
        Dataset data = D2l.syntheticData(trueW, 0.7f, n, 7);
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, 11);
        Run unfused = run(Kernels.UNFUSED, false, data, config);
        Run fused = run(Kernels.FUSED, false, data, config);
        Run epoch = run(Kernels.EPOCH, false, data, config);
        String story = "\nUNFUSED:" + unfused.describe() + "\nFUSED:" + fused.describe() + "\nEPOCH:" + epoch.describe();
        agree("FUSED vs UNFUSED", unfused, fused, false, story);
        agree("EPOCH vs UNFUSED", unfused, epoch, false, story);
        agree("EPOCH vs FUSED", fused, epoch, true, story);
    }

    @ParameterizedTest(name = "{0}: a repeated run gives the same bits")
    @EnumSource(Kernels.class)
    void repeatedRunsGiveTheSameBits(Kernels kernels) {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f, 1f}, 4.2f, 3001, 5);
        TrainConfig config = new TrainConfig(64, 0.03f, 2, 9);
        Run first = run(kernels, false, data, config);
        Run second = run(kernels, false, data, config);
        String story = "\nfirst:" + first.describe() + "\nsecond:" + second.describe();
        agree(kernels + " run twice", first, second, true, story);
        for (int e = 0; e < first.loss.length; e++) {
            assertEquals(first.loss[e], second.loss[e], 0.0, kernels + ": epoch " + (e + 1) + " loss" + story);
        }
    }

    /** The diverging side of the flag is {@code DivergenceTest}'s: the step it names, on both backends. */
    @Test
    void aConvergingEpochHasNoNonFiniteStep() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        TrainConfig config = new TrainConfig(10, 0.03f, 1, 42, Kernels.EPOCH);
        try (Backend backend = new OpenClBackend(TestDevice.get()); Trainer trainer = new Trainer(backend, data, config)) {
            assertTrue(Double.isFinite(trainer.epoch()));
            assertEquals(0, trainer.nonFiniteStep(), "a converging epoch has no non-finite step");
        }
    }

    static void agree(String what, Run a, Run b, boolean bitwise, String story) {
        for (int e = 0; e < a.loss.length; e++) {
            float[] pa = Arrays.copyOf(a.w[e], a.w[e].length + 1);
            float[] pb = Arrays.copyOf(b.w[e], b.w[e].length + 1);
            pa[pa.length - 1] = a.b[e];
            pb[pb.length - 1] = b.b[e];
            for (int j = 0; j < pa.length; j++) {
                String at = what + ": epoch " + (e + 1) + ", parameter " + j + ": " + pa[j] + " vs " + pb[j];
                if (bitwise) {
                    assertEquals(Float.floatToRawIntBits(pa[j]), Float.floatToRawIntBits(pb[j]),
                            at + " (bitwise)" + story);
                } else {
                    assertTrue(Math.abs(pa[j] - pb[j]) <= PARAMETERS, at + " differ by more than " + PARAMETERS
                            + story);
                }
            }
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest}): a small run on every path, Java and OpenCL
     * bitwise equal on the fused paths and within 1e-5 on the unfused one, at row widths on both
     * sides of 16.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0}, n 48, d {1}, batch 16, 2 epochs: Java and OpenCL agree")
    @CsvSource({"UNFUSED, 2", "FUSED, 2", "EPOCH, 2", "UNFUSED, 17", "FUSED, 17", "EPOCH, 17"})
    void strictDevice(Kernels kernels, int d) {
        float[] trueW = new float[d];
        for (int j = 0; j < d; j++) {
            trueW[j] = (j % 3) - 1.5f + 0.25f * j / d;
        }
        Dataset data = D2l.syntheticData(trueW, 0.7f, 48, 7);
        TrainConfig config = new TrainConfig(16, 0.03f, 2, 11);
        Run java = run(kernels, true, data, config);
        Run cl = run(kernels, false, data, config);
        agree(kernels + " Java vs OpenCL", java, cl, kernels != Kernels.UNFUSED,
                "\nJava:" + java.describe() + "\nOpenCL:" + cl.describe());
    }
}
