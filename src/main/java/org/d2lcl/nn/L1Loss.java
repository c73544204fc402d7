package org.d2lcl.nn;

import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;

/** PyTorch's {@code nn.L1Loss}: the mean (or sum) of {@code |y_hat - y|}; gradient factor {@code sign(r)}, 0 at 0. */
public final class L1Loss extends LossModule {
    /** {@code nn.L1Loss()}: the mean. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** {@code nn.L1Loss(reduction=...)}. */
    public L1Loss(Reduction reduction) {
        super(LossFunction.l1Loss(reduction));
    }
}
