package org.d2lcl;

/**
 * A loss as PyTorch users write it: the per-example {@link Loss}, the {@link Reduction} over the
 * examples, and Huber's threshold {@code delta} (0 for the others).
 *
 * <pre>
 * PyTorch                              d2l-cl
 * squared_loss(y_hat, y).sum()         LossFunction.squaredLoss(Reduction.SUM)
 * nn.MSELoss()                         LossFunction.mseLoss()              mean of (y_hat - y)^2
 * nn.MSELoss(reduction='sum')          LossFunction.mseLoss(Reduction.SUM)
 * nn.L1Loss()                          LossFunction.l1Loss()               mean of |y_hat - y|
 * nn.HuberLoss(delta=0.5)              LossFunction.huberLoss(0.5f)
 * </pre>
 *
 * The per-example losses and their residual factors are {@code kernels/loss.cl}; the sum over the
 * examples is {@code reduce.cl}, the gradient {@code loss_grad.cl}'s {@code X^T r}; for
 * {@link Reduction#MEAN} both are divided by n ({@link #divisor}), on the host.
 *
 * @param kind the per-example loss
 * @param reduction mean or sum over the examples
 * @param delta Huber's threshold, finite and {@code > 0}; must be 0 for the other losses
 */
public record LossFunction(Loss kind, Reduction reduction, float delta) {
    /** PyTorch's {@code reduction} argument: {@code 'mean'} (the default) or {@code 'sum'}. */
    public enum Reduction {
        /** The sum of the per-example losses divided by their number n. */
        MEAN,
        /** The sum of the per-example losses. */
        SUM
    }

    /** Checks the threshold: Huber's must be finite and positive, the others' 0. */
    public LossFunction {
        if (kind == null || reduction == null) {
            throw new ConfigException("a loss needs its kind and its reduction (got " + kind + ", " + reduction + ")");
        }
        if (kind == Loss.HUBER && !(delta > 0 && Float.isFinite(delta))) {
            throw new ConfigException("Huber delta = " + delta + ": it must be finite and > 0");
        }
        if (kind != Loss.HUBER && delta != 0) {
            throw new ConfigException(kind + " delta = " + delta + ": only HUBER takes a threshold; use 0");
        }
    }

    /** d2l's {@code squared_loss}, {@code (y_hat - y)^2 / 2}, with the reduction given. */
    public static LossFunction squaredLoss(Reduction reduction) {
        return new LossFunction(Loss.SQUARED, reduction, 0f);
    }

    /** {@code nn.MSELoss()}: the mean of {@code (y_hat - y)^2}. */
    public static LossFunction mseLoss() {
        return mseLoss(Reduction.MEAN);
    }

    /** {@code nn.MSELoss(reduction=...)}. */
    public static LossFunction mseLoss(Reduction reduction) {
        return new LossFunction(Loss.MSE, reduction, 0f);
    }

    /** {@code nn.L1Loss()}: the mean of {@code |y_hat - y|}. */
    public static LossFunction l1Loss() {
        return l1Loss(Reduction.MEAN);
    }

    /** {@code nn.L1Loss(reduction=...)}. */
    public static LossFunction l1Loss(Reduction reduction) {
        return new LossFunction(Loss.L1, reduction, 0f);
    }

    /** {@code nn.HuberLoss()}: {@code delta = 1}, mean. */
    public static LossFunction huberLoss() {
        return huberLoss(1f);
    }

    /** {@code nn.HuberLoss(delta=...)}, mean. */
    public static LossFunction huberLoss(float delta) {
        return huberLoss(delta, Reduction.MEAN);
    }

    /** {@code nn.HuberLoss(reduction=..., delta=...)}. */
    public static LossFunction huberLoss(float delta, Reduction reduction) {
        return new LossFunction(Loss.HUBER, reduction, delta);
    }

    /**
     * What the summed losses of {@code n} examples, and the summed gradient {@code X^T r}, are
     * divided by: {@code n} for {@link Reduction#MEAN}, 1 for {@link Reduction#SUM}.
     */
    public long divisor(long n) {
        return reduction == Reduction.MEAN ? n : 1;
    }

    /**
     * The name {@code train --loss} takes: {@code squared} (summed, the chapter's), {@code mse},
     * {@code mse-sum}, {@code l1}, {@code l1-sum}, {@code huber:1.0}, {@code huber-sum:0.5}; a mean
     * squared loss is {@code squared-mean}.
     */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        if (kind == Loss.SQUARED) {
            return reduction == Reduction.SUM ? name : name + "-mean";
        }
        return name + (reduction == Reduction.SUM ? "-sum" : "") + (kind == Loss.HUBER ? ":" + delta : "");
    }

    /**
     * The loss {@code name} names, as {@code train --loss} takes it ({@link #toString}'s names; case and
     * surrounding blanks do not matter): {@code squared}, {@code mse}, {@code mse-sum}, {@code l1},
     * {@code l1-sum}, {@code huber[:DELTA]}, {@code huber-sum[:DELTA]} (DELTA default 1).
     *
     * @throws ConfigException saying what is allowed, without repeating the name
     */
    public static LossFunction named(String name) {
        String[] parts = name.strip().toLowerCase(java.util.Locale.ROOT).split(":", 2);
        boolean sum = parts[0].endsWith("-sum");
        String base = sum ? parts[0].substring(0, parts[0].length() - 4) : parts[0];
        Reduction reduction = sum ? Reduction.SUM : Reduction.MEAN;
        if (parts.length == 2 && !base.equals("huber")) {
            throw new ConfigException("only huber takes a threshold (huber:DELTA)");
        }
        return switch (sum && base.equals("squared") ? "" : base) {
            case "squared" -> TrainConfig.CHAPTER_LOSS;
            case "mse" -> mseLoss(reduction);
            case "l1" -> l1Loss(reduction);
            case "huber" -> {
                float delta = parts.length == 2 ? Optimizer.number(parts[1]) : 1f;
                if (!(delta > 0) || !Float.isFinite(delta)) {
                    throw new ConfigException("the threshold must be a finite number > 0");
                }
                yield huberLoss(delta, reduction);
            }
            default -> throw new ConfigException(
                    "must be squared, mse, mse-sum, l1, l1-sum, huber[:DELTA] or huber-sum[:DELTA]");
        };
    }

    /** The reduced loss from the sum of the per-example losses of {@code n} examples, in double. */
    public double reduce(double sum, long n) {
        return sum / divisor(n);
    }
}
