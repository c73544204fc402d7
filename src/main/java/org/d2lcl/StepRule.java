package org.d2lcl;

/**
 * What one minibatch step does after the forward pass, as the fused kernels take it
 * ({@code linreg_step.cl}, {@code linreg_epoch.cl}): the loss whose gradient it follows, the
 * optimizer, the learning rate and the configured batch size. {@link #chapter} is d2l's
 * {@code squared_loss(...).sum().backward(); sgd([w, b], lr, batch_size)}.
 *
 * <p>The loss and the optimizer are compile-time parameters of the kernels ({@link #buildOptions()}),
 * the CLBlast way, so every combination is one launch per step (or per epoch) with no branch on
 * them at run time; the numbers ({@code lr}, {@code mu}, Huber's {@code delta}, {@code max_norm}, the
 * divisor) are kernel arguments.
 *
 * @param loss the per-example loss and its reduction over the batch
 * @param optimizer SGD or momentum, divided by the batch size or not, clipped or not
 * @param lr the learning rate
 * @param batchSize the configured batch size (the divisor of d2l's {@code sgd})
 * @param runningLoss whether each step also adds its batch's loss, taken before the update, to a
 *     running sum (the epoch loss of the L1 write-up: the sum of the epoch's minibatch losses)
 */
public record StepRule(LossFunction loss, Optimizer optimizer, float lr, int batchSize, boolean runningLoss) {
    /** Checks that the loss and the optimizer are given; the numbers are checked where they are used. */
    public StepRule {
        if (loss == null || optimizer == null) {
            throw new ConfigException("a step rule needs its loss and its optimizer (got " + loss + ", " + optimizer + ")");
        }
    }

    /** A rule that keeps no running loss. */
    public StepRule(LossFunction loss, Optimizer optimizer, float lr, int batchSize) {
        this(loss, optimizer, lr, batchSize, false);
    }

    /** d2l's step: the squared loss summed over the batch, {@code sgd} dividing by the batch size. */
    public static StepRule chapter(float lr, int batchSize) {
        return new StepRule(LossFunction.squaredLoss(LossFunction.Reduction.SUM), Optimizer.sgd(), lr, batchSize);
    }

    /**
     * Whether this is d2l's step ({@link #chapter}), keeping no running loss: the chapter's unfused
     * loop runs it as its four functions.
     */
    public boolean isChapters() {
        return equals(chapter(lr, batchSize));
    }

    /** The kernels' {@code -D} options: {@code -DLOSS=... -DMEAN=0|1 -DMOMENTUM=0|1 -DCLIP=0|1 -DRUNNING_LOSS=0|1}. */
    public String buildOptions() {
        return "-DLOSS=" + loss.kind() + " -DMEAN=" + bit(loss.reduction() == LossFunction.Reduction.MEAN)
                + " -DMOMENTUM=" + bit(optimizer.kind() == Optimizer.Kind.MOMENTUM) + " -DCLIP=" + bit(optimizer.clips())
                + " -DRUNNING_LOSS=" + bit(runningLoss);
    }

    /** What the step divides by: the batch size for d2l's {@code sgd}, 1 for PyTorch's. */
    public int divisor() {
        return optimizer.divisor(batchSize);
    }

    /** Whether the step keeps a velocity per parameter (momentum). */
    public boolean hasVelocity() {
        return optimizer.kind() == Optimizer.Kind.MOMENTUM;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
