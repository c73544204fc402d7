package org.d2lcl;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;

/**
 * What a {@link StepRule} does with a batch's gradient sums {@code dw = X^T r}, {@code db = sum r}
 * over {@code count} examples, one kernel per operation, and the state it keeps (momentum's
 * velocities):
 *
 * <pre>
 * clip_grad_norm_([dw, db], max_norm)         clip_grad_norm.cl (a mean's norm: the sum's / count)
 * sgd or momentum                             sgd.cl, momentum.cl (a mean's 1/count: in lr for sgd, in
 *                                             the divisor for momentum)
 * </pre>
 *
 * The second half of the unfused {@code MinibatchStep}, and the step a caller applies to gradient
 * sums it added up elsewhere (over the partitions of a distributed minibatch).
 */
public final class GradientUpdate implements AutoCloseable {
    private final StepRule rule;
    private final Tensor w, b, norm;
    private final Tensor vw, vb; // momentum's velocities, else null
    private final Resources owned = new Resources();

    /** The updates of {@code rule} to {@code w} ({@code d x 1}) and {@code b} ({@code 1 x 1}), on their backend. */
    public GradientUpdate(StepRule rule, Tensor w, Tensor b) {
        this.rule = rule;
        this.w = w;
        this.b = b;
        Backend backend = w.backend();
        boolean momentum = rule.hasVelocity();
        try {
            norm = owned.own(backend.zeros(1, 1));
            vw = momentum ? owned.own(backend.zeros(w.rows(), 1)) : null;
            vb = momentum ? owned.own(backend.zeros(1, 1)) : null;
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /**
     * Updates w and b from the gradient sums {@code dw}, {@code db} of a batch of {@code count}
     * examples and sets both to 0; {@code first}: whether this is the run's first step.
     */
    public void apply(Tensor dw, Tensor db, int count, boolean first) {
        LossFunction loss = rule.loss();
        Optimizer optimizer = rule.optimizer();
        boolean mean = loss.reduction() == LossFunction.Reduction.MEAN;
        if (optimizer.clips()) {
            D2l.clipGradNorm(norm, dw, db, mean ? optimizer.maxNorm() * count : optimizer.maxNorm());
        }
        Tensor[] params = {w, b}, grads = {dw, db};
        if (rule.hasVelocity()) {
            int divisor = Math.multiplyExact(mean ? count : 1, rule.divisor());
            D2l.sgdMomentum(params, new Tensor[] {vw, vb}, grads, rule.lr(), optimizer.mu(), divisor, first);
        } else {
            D2l.sgd(params, grads, mean ? rule.lr() / (float) count : rule.lr(), rule.divisor());
        }
    }

    /** The velocities of w and b, or nulls for plain SGD: what a {@code Rollback} saves besides w and b. */
    Tensor[] velocities() {
        return new Tensor[] {vw, vb};
    }

    @Override
    public void close() {
        owned.close();
    }
}
