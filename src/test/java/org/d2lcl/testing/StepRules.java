package org.d2lcl.testing;

import java.util.stream.Stream;
import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.Optimizer;
import org.d2lcl.StepRule;
import org.d2lcl.data.Dataset;

/** The step rules the fused kernels and the trainer's paths are tested under. */
public final class StepRules {
    private StepRules() {
    }

    /**
     * A kernel's running loss against the reference's: the kernel sums a batch's terms (all >= 0) in
     * its items, at most ceil(count / L) each, then a tree of log2(L) levels (a batch over a run: the
     * groups' trees, then the groups in order, one more); the reference in double. Each then divides
     * once and adds once per step, so |got - ref| <= (ceil(count / L) + log2(L) + 1 + 2 (steps + 1))
     * · u · max(ref, got).
     */
    public static void runningLossWithin(String what, float ref, float got, int steps, int count, int local) {
        long depth = (count + local - 1L) / local + Integer.numberOfTrailingZeros(local) + 1 + 2 * (steps + 1L);
        double bound = depth * Oracle.U * Math.max(ref, got);
        Compare.within(what + ": the running loss (depth " + depth + ")", new double[] {ref}, new float[] {got},
                new double[] {bound}, 1);
    }

    /**
     * How far constant-step SGD on the mean absolute loss, undivided ({@code sgd-nodiv}), ends from
     * the fit: about one step, and a step moves w_j by lr |mean over the batch of sign(r_i) x_ij|, at
     * most lr times the mean of the column's {@code batchSize} largest |x_ij| (whatever the batch and
     * the order), and b by at most lr. Returns those d + 1 bounds, the weights' then the bias's.
     */
    public static double[] l1StepBounds(Dataset data, int batchSize, float lr) {
        int n = data.n();
        int d = data.d();
        double[] bounds = new double[d + 1];
        double[] column = new double[n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                column[i] = Math.abs(data.features()[i * d + j]);
            }
            java.util.Arrays.sort(column);
            double top = 0;
            for (int k = n - Math.min(batchSize, n); k < n; k++) {
                top += column[k];
            }
            bounds[j] = lr * top / Math.min(batchSize, n);
        }
        bounds[d] = lr;
        return bounds;
    }

    /**
     * The step rules every fused kernel is held to, bit for bit: every value of every build option
     * (each loss; mean and sum; SGD divided and not, momentum; clipping with thresholds that clip and
     * that do not; the running loss), each rule a program of its own.
     */
    public static Stream<StepRule> all(float lr, int batchSize) {
        Reduction mean = Reduction.MEAN, sum = Reduction.SUM;
        return Stream.of(StepRule.chapter(lr, batchSize),
                new StepRule(LossFunction.mseLoss(mean), Optimizer.sgdNoDiv(), lr, batchSize),
                new StepRule(LossFunction.l1Loss(mean), Optimizer.sgdNoDiv(), lr, batchSize, true),
                new StepRule(LossFunction.huberLoss(0.5f, mean), Optimizer.sgdNoDiv(), lr, batchSize),
                new StepRule(LossFunction.mseLoss(mean), Optimizer.momentumNoDiv(0.9f), lr, batchSize),
                new StepRule(LossFunction.squaredLoss(sum), Optimizer.momentum(0.9f), lr, batchSize, true),
                new StepRule(LossFunction.squaredLoss(sum), Optimizer.sgd().withClipGradNorm(0.5f), lr, batchSize),
                new StepRule(LossFunction.l1Loss(mean), Optimizer.momentumNoDiv(0.5f).withClipGradNorm(0.1f), lr,
                        batchSize, true),
                new StepRule(LossFunction.huberLoss(1f, sum), Optimizer.sgd().withClipGradNorm(1e6f), lr, batchSize));
    }
}
