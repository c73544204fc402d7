package org.d2lcl.nn;

import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;

/**
 * PyTorch's {@code nn.HuberLoss(delta)}: per example {@code 0.5 r^2} where {@code |r| < delta},
 * else {@code delta (|r| - 0.5 delta)}; gradient factor {@code r} clamped to {@code [-delta, delta]}.
 */
public final class HuberLoss extends LossModule {
    /** {@code nn.HuberLoss()}: {@code delta = 1}, the mean. */
    public HuberLoss() {
        this(1f);
    }

    /** {@code nn.HuberLoss(delta=...)}, the mean. */
    public HuberLoss(float delta) {
        this(delta, Reduction.MEAN);
    }

    /** {@code nn.HuberLoss(reduction=..., delta=...)}. */
    public HuberLoss(float delta, Reduction reduction) {
        super(LossFunction.huberLoss(delta, reduction));
    }
}
