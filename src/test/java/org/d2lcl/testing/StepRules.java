package org.d2lcl.testing;

import java.util.stream.Stream;
import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.Optimizer;
import org.d2lcl.StepRule;

/** The step rules the fused kernels and the trainer's paths are tested under. */
public final class StepRules {
    private StepRules() {
    }

    /**
     * The step rules every fused kernel is held to, bit for bit: each loss with each reduction, the
     * undivided step, momentum, and clipping (with thresholds that clip and that do not).
     */
    public static Stream<StepRule> all(float lr, int batchSize) {
        Reduction mean = Reduction.MEAN, sum = Reduction.SUM;
        return Stream.of(StepRule.chapter(lr, batchSize),
                new StepRule(LossFunction.mseLoss(mean), Optimizer.sgdNoDiv(), lr, batchSize),
                new StepRule(LossFunction.mseLoss(sum), Optimizer.sgd(), lr, batchSize),
                new StepRule(LossFunction.l1Loss(mean), Optimizer.sgdNoDiv(), lr, batchSize),
                new StepRule(LossFunction.l1Loss(sum), Optimizer.sgd(), lr, batchSize),
                new StepRule(LossFunction.huberLoss(0.5f, mean), Optimizer.sgdNoDiv(), lr, batchSize),
                new StepRule(LossFunction.mseLoss(mean), Optimizer.momentumNoDiv(0.9f), lr, batchSize),
                new StepRule(LossFunction.squaredLoss(sum), Optimizer.momentum(0.9f), lr, batchSize),
                new StepRule(LossFunction.squaredLoss(sum), Optimizer.sgd().withClipGradNorm(0.5f), lr, batchSize),
                new StepRule(LossFunction.l1Loss(mean), Optimizer.momentumNoDiv(0.5f).withClipGradNorm(0.1f), lr,
                        batchSize),
                new StepRule(LossFunction.huberLoss(1f, sum), Optimizer.sgd().withClipGradNorm(1e6f), lr, batchSize));
    }
}
