package org.d2lcl;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;

/**
 * A minibatch step other than the chapter's four calls, and the state it keeps (momentum's
 * velocities): on {@link Kernels#FUSED} (and the epoch kernel) one launch of {@code linreg_step.cl}
 * under the run's {@link StepRule}, with v, the d + 1 velocities; on {@link Kernels#UNFUSED}, under a
 * rule other than the chapter's, one kernel per operation, as the fused step computes it:
 *
 * <pre>
 * y_hat = linreg(X, w, b)                     matmul.cl
 * r     = dl/dy_hat                           loss.cl's loss_residual
 * dw, db = X^T r, sum r                       loss_grad.cl's residual_grad
 * clip_grad_norm_, then sgd or momentum       GradientUpdate
 * </pre>
 *
 * The gradient's sums run in another order than the fused kernel's, so the two paths agree within
 * rounding, not bit for bit (as the chapter's unfused and fused paths do). With
 * {@link StepRule#runningLoss} it also keeps the running sum of the batch losses, each taken before
 * its step: in the fused kernels, or on the unfused path as {@code loss.cl}'s losses summed by
 * {@code reduce.cl} and added by {@code sgd.cl} with lr = -1/count ({@code p - lr·g} is then
 * {@code running + sum/count}).
 */
final class MinibatchStep implements AutoCloseable {
    private final StepRule rule;
    private final Kernels kernels;
    private final boolean theChapters; // the chapter's rule on the unfused kernels: the trainer's four calls
    private final Tensor w, b;
    // The unfused path's gradients, a batch's y_hat and residual factors, a batch's loss, and its update.
    private final Tensor dw, db, yHat, r, batchLoss;
    private final GradientUpdate update;
    private final Tensor v; // the fused kernels' velocities, w's then b's, for momentum; else null
    private final Tensor running, zero; // the running loss and the 0 it starts each epoch from, else null
    private final Resources owned = new Resources();

    /** The steps of {@code rule} on {@code kernels}, updating {@code w} and {@code b}. */
    MinibatchStep(StepRule rule, Kernels kernels, Tensor w, Tensor b) {
        this.rule = rule;
        this.kernels = kernels;
        this.w = w;
        this.b = b;
        Backend backend = w.backend();
        int d = w.rows();
        theChapters = kernels == Kernels.UNFUSED && rule.isChapters();
        boolean unfused = kernels == Kernels.UNFUSED && !theChapters, momentum = rule.hasVelocity();
        try {
            dw = unfused ? owned.own(backend.zeros(d, 1)) : null;
            db = unfused ? owned.own(backend.zeros(1, 1)) : null;
            yHat = unfused ? owned.own(backend.zeros(rule.batchSize(), 1)) : null;
            r = unfused ? owned.own(backend.zeros(rule.batchSize(), 1)) : null;
            batchLoss = unfused && rule.runningLoss() ? owned.own(backend.zeros(1, 1)) : null;
            update = unfused ? owned.own(new GradientUpdate(rule, w, b)) : null;
            v = momentum && kernels != Kernels.UNFUSED ? owned.own(backend.zeros(d + 1, 1)) : null;
            running = rule.runningLoss() ? owned.own(backend.zeros(1, 1)) : null;
            zero = rule.runningLoss() ? owned.own(backend.zeros(1, 1)) : null;
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Whether the step is the chapter's four calls on the unfused kernels, which the trainer makes itself. */
    boolean isTheChapters() {
        return theChapters;
    }

    /** Starts the running loss of an epoch at 0 (the epoch kernel starts its own). */
    void startEpoch() {
        if (running != null && kernels != Kernels.EPOCH) {
            w.backend().copy(running, zero);
        }
    }

    /** The running loss, or null without {@link StepRule#runningLoss}. */
    Tensor running() {
        return running;
    }

    /** Reads the running loss: the sum of the last epoch's batch losses; NaN without one. */
    double runningLoss() {
        return running == null ? Double.NaN : running.read()[0];
    }

    /** The fused kernels' velocities, w's then b's, or null. */
    Tensor v() {
        return v;
    }

    /** What an epoch changes besides w and b, for a {@link Rollback}: the velocities (none for plain SGD). */
    Tensor[] state() {
        Tensor[] velocities = update != null ? update.velocities() : new Tensor[2];
        return new Tensor[] {w, b, v, velocities[0], velocities[1]};
    }

    /**
     * The step over {@code batch} of {@code features} and {@code labels} through {@code idx};
     * {@code first}: whether it is the run's first step.
     */
    void run(Batch batch, Tensor features, Tensor labels, Indices idx, boolean first) {
        if (kernels != Kernels.UNFUSED) {
            w.backend().linregStep(w, b, v, running, features, labels, idx, batch.start(), batch.size(), rule, first);
            return;
        }
        int count = batch.size();
        Tensor x = batch.x(), yHat = this.yHat.head(count), r = this.r.head(count);
        Backend backend = x.backend();
        LossFunction loss = rule.loss();
        boolean mean = loss.reduction() == LossFunction.Reduction.MEAN;
        D2l.linreg(yHat, x, w, b);
        if (running != null) {
            backend.loss(loss.kind(), r, yHat, batch.y(), loss.delta());
            backend.sum(batchLoss, r);
            backend.sgd(running, batchLoss, -1f / (mean ? count : 1), 1); // running += sum / count; batchLoss = 0
        }
        backend.lossResidual(loss.kind(), r, yHat, batch.y(), loss.delta());
        backend.residualGrad(dw, db, x, r);
        update.apply(dw, db, count, first);
    }

    @Override
    public void close() {
        owned.close();
    }
}
