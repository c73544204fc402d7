package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.TrainerKernelsTest.Run;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.StepRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chapter's run under every {@link StepRule} of {@link StepRules#all}, through {@link Trainer}:
 * the fused step and the epoch kernel agree bit for bit, on OpenCL and on the Java backend; the
 * unfused path agrees with them to {@code TrainerKernelsTest}'s 1e-5 (except for the absolute
 * loss, whose subgradient jumps at a zero residual, so that two sum orders may part); a rule reaches
 * the true parameters in three epochs, or, where its steps are bounded (clipping; Huber's factor,
 * clamped to delta = 0.5, moves b by at most lr·delta = 0.015 a step, 4.5 over the 300 steps, too
 * little to cover the 4.2 to the true b), lowers the loss every epoch. Then the programs'
 * own claims: {@code mse} with lr and {@code mse-sum} with lr / batch size give the same bits on
 * every path, and with one corrupted label the absolute and Huber losses land closer to the true
 * parameters than the squared loss.
 */
class StepRuleTrainingTest {
    private static final float[] TRUE_W = {2f, -3.4f};
    private static final float TRUE_B = 4.2f;
    private static final Dataset DATA = D2l.syntheticData(TRUE_W, TRUE_B, 1000, 42);

    static Stream<StepRule> rules() {
        return StepRules.all(0.03f, 10);
    }

    private static TrainConfig config(StepRule rule, int epochs) {
        return new TrainConfig(rule.batchSize(), rule.lr(), epochs, 42).withLoss(rule.loss())
                .withOptimizer(rule.optimizer());
    }

    @ParameterizedTest(name = "{0}: FUSED = EPOCH = Java bitwise, UNFUSED to 1e-5, converges")
    @MethodSource("rules")
    void everyRuleAgreesOnEveryPathAndBackend(StepRule rule) {
        TrainConfig config = config(rule, 3);
        Run fused = TrainerKernelsTest.run(Kernels.FUSED, false, DATA, config);
        Run epoch = TrainerKernelsTest.run(Kernels.EPOCH, false, DATA, config);
        Run javaFused = TrainerKernelsTest.run(Kernels.FUSED, true, DATA, config);
        Run javaEpoch = TrainerKernelsTest.run(Kernels.EPOCH, true, DATA, config);
        Run unfused = TrainerKernelsTest.run(Kernels.UNFUSED, false, DATA, config);
        String story = "\nFUSED:" + fused.describe() + "\nEPOCH:" + epoch.describe() + "\nUNFUSED:" + unfused.describe();
        TrainerKernelsTest.agree(rule + " FUSED vs EPOCH", fused, epoch, true, story);
        TrainerKernelsTest.agree(rule + " FUSED, Java vs OpenCL", javaFused, fused, true, story);
        TrainerKernelsTest.agree(rule + " EPOCH, Java vs OpenCL", javaEpoch, epoch, true, story);
        if (rule.loss().kind() != Loss.L1) {
            TrainerKernelsTest.agree(rule + " UNFUSED vs FUSED", unfused, fused, false, story);
        }
        for (Run run : new Run[] {fused, unfused}) {
            if (rule.optimizer().clips() || rule.loss().kind() == Loss.HUBER) {
                for (int e = 1; e < run.loss().length; e++) {
                    assertTrue(run.loss()[e] < run.loss()[e - 1], rule + ": epoch " + (e + 1) + " lowers the loss" + story);
                }
            } else {
                float[] w = run.w()[2];
                float b = run.b()[2];
                assertTrue(Math.abs(w[0] - TRUE_W[0]) < 0.05 && Math.abs(w[1] - TRUE_W[1]) < 0.05
                        && Math.abs(b - TRUE_B) < 0.05, rule + ": w and b within 0.05 of the truth" + story);
            }
        }
    }

    /**
     * {@code nn.MSELoss()} with lr and {@code nn.MSELoss(reduction='sum')} with lr / batch size: the
     * mean's 1/count goes into the step size (SGD), {@code lr / (float) 10} in both cases, so the
     * parameters are the same bits; the printed loss of the sum is n times the mean's.
     */
    @ParameterizedTest(name = "{0}: mse with lr = mse-sum with lr / batch size, bit for bit, on OpenCL and Java")
    @EnumSource(Kernels.class)
    void aMeanWithLrIsASumWithLrOverTheBatchSize(Kernels kernels) {
        float lr = 0.03f;
        int bs = 10;
        TrainConfig mean = config(new StepRule(LossFunction.mseLoss(), Optimizer.sgdNoDiv(), lr, bs), 3);
        TrainConfig sum = config(new StepRule(LossFunction.mseLoss(Reduction.SUM), Optimizer.sgdNoDiv(), lr / bs, bs), 3);
        for (boolean java : new boolean[] {false, true}) {
            Run a = TrainerKernelsTest.run(kernels, java, DATA, mean);
            Run b = TrainerKernelsTest.run(kernels, java, DATA, sum);
            String story = "\nmse:" + a.describe() + "\nmse-sum:" + b.describe();
            TrainerKernelsTest.agree(kernels + (java ? " Java" : " OpenCL") + " mse vs mse-sum", a, b, true, story);
            for (int e = 0; e < a.loss().length; e++) {
                assertEquals(a.loss()[e], b.loss()[e] / DATA.n(), 0.0, "epoch " + (e + 1) + ": the sum is n times the mean"
                        + story);
            }
        }
    }

    /**
     * One corrupted label, {@code y[5] = 10000}: gradient descent on all 1000 examples (one batch,
     * lr 0.03, 1000 epochs, long enough that each loss reaches its own fit; with minibatches the
     * squared loss's error would depend on how recently the outlier's batch came). The squared loss
     * follows the outlier (b moves by about 10000 / 1000 = 10); the absolute and Huber losses bound
     * its pull by 1 and delta = 1, and land closer to the true w and b. On both backends.
     */
    @ParameterizedTest(name = "Java backend: {0}")
    @ValueSource(booleans = {false, true})
    void oneCorruptedLabelMovesTheSquaredLossMost(boolean java) {
        float[] y = DATA.labels().clone();
        y[5] = 10000f;
        Dataset corrupted = new Dataset(DATA.features(), y, DATA.n(), DATA.d());
        double[] squared = error(java, corrupted, LossFunction.mseLoss());
        for (LossFunction robust : new LossFunction[] {LossFunction.l1Loss(), LossFunction.huberLoss(1f)}) {
            double[] e = error(java, corrupted, robust);
            assertTrue(e[0] < squared[0] && e[1] < squared[1], robust + ": |w - ŵ| = " + e[0] + ", |b - b̂| = " + e[1]
                    + ", squared loss: " + squared[0] + ", " + squared[1]);
        }
        assertTrue(squared[1] > 1, "the squared loss's bias moves towards the outlier: |b - b̂| = " + squared[1]);
    }

    /**
     * The L1 write-up's run (4 features, 500 examples, batch 16, lr 0.05, 50 epochs, undivided SGD)
     * with its epoch loss, the sum of the epoch's minibatch losses, each before its step: on the fused
     * paths the parameters are Java's bit for bit and the sums within
     * {@code StepRules.runningLossWithin}'s bound (32 steps of 16 rows; one work-item, the deepest
     * sum); on every path the sums fall a hundredfold and the parameters end within one step of the
     * truth ({@link StepRules#l1StepBounds}: lr times the largest mean |x| a batch can have, lr for b).
     */
    @ParameterizedTest(name = "{0}: the sums of the minibatch losses")
    @EnumSource(Kernels.class)
    void theWriteUpsBatchLossesOnEveryPath(Kernels kernels) {
        float[] trueW = {10f, 7f, 5f, 2f};
        Dataset data = D2l.syntheticData(trueW, 1.1f, 500, 42);
        TrainConfig config = new TrainConfig(16, 0.05f, 50, 42, kernels).withLoss(LossFunction.l1Loss())
                .withOptimizer(Optimizer.sgdNoDiv()).withBatchLosses(true);
        Run java = TrainerKernelsTest.run(kernels, true, data, config);
        Run cl = TrainerKernelsTest.run(kernels, false, data, config);
        String story = "\nJava:" + java.describe() + "\nOpenCL:" + cl.describe();
        if (kernels != Kernels.UNFUSED) {
            TrainerKernelsTest.agree(kernels + " Java vs OpenCL", java, cl, true, story);
            for (int e = 0; e < 50; e++) {
                StepRules.runningLossWithin(kernels + " epoch " + e, (float) java.loss()[e], (float) cl.loss()[e], 32, 16,
                        1);
            }
        }
        double[] step = StepRules.l1StepBounds(data, 16, 0.05f);
        for (Run run : new Run[] {java, cl}) {
            assertTrue(run.loss()[49] < run.loss()[0] / 100, kernels + ": the sums fall a hundredfold" + story);
            for (int j = 0; j < 4; j++) {
                assertTrue(Math.abs(run.w()[49][j] - trueW[j]) < step[j], kernels + ": w[" + j + "] within "
                        + step[j] + story);
            }
            assertTrue(Math.abs(run.b()[49] - 1.1f) < step[4], kernels + ": b" + story);
        }
    }

    private static double[] error(boolean java, Dataset data, LossFunction loss) {
        StepRule rule = new StepRule(loss, Optimizer.sgdNoDiv(), 0.03f, data.n());
        Run run = TrainerKernelsTest.run(Kernels.EPOCH, java, data, config(rule, 1000));
        float[] w = run.w()[999];
        return new double[] {Math.hypot(w[0] - TRUE_W[0], w[1] - TRUE_W[1]), Math.abs(run.b()[999] - TRUE_B)};
    }
}
