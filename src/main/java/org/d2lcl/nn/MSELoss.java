package org.d2lcl.nn;

import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;

/** PyTorch's {@code nn.MSELoss}: the mean (or sum) of {@code (y_hat - y)^2}, no 1/2; gradient factor {@code 2r}. */
public final class MSELoss extends LossModule {
    /** {@code nn.MSELoss()}: the mean. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** {@code nn.MSELoss(reduction=...)}. */
    public MSELoss(Reduction reduction) {
        super(LossFunction.mseLoss(reduction));
    }
}
