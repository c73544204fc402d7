package org.d2lcl.spark;

import java.io.Serializable;
import org.d2lcl.LossFunction;
import org.d2lcl.Optimizer;
import org.d2lcl.StepRule;

/**
 * The estimator's step as it travels to the executors: the loss and the optimizer by their
 * command-line names ({@link LossFunction#named}, {@link Optimizer#named}), the clipping norm (0:
 * none), the learning rate and the global batch size.
 */
record Rule(String loss, String optimizer, float clip, float lr, int batchSize) implements Serializable {
    /** The library's rule; a bad name or number is its {@link org.d2lcl.ConfigException}. */
    StepRule stepRule() {
        Optimizer o = Optimizer.named(optimizer);
        return new StepRule(LossFunction.named(loss), clip > 0 ? o.withClipGradNorm(clip) : o, lr, batchSize);
    }
}
