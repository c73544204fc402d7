package org.d2lcl;

/**
 * An optimizer as PyTorch users write it: plain SGD or SGD with momentum, the gradient divided by
 * the batch size (d2l's {@code sgd}) or not (PyTorch's), and optional gradient-norm clipping before
 * the step. The learning rate stays with the training configuration.
 *
 * <pre>
 * PyTorch / d2l                                          d2l-cl                              kernel
 * d2l.sgd(params, lr, batch_size)                        Optimizer.sgd()                     sgd.cl
 * torch.optim.SGD(params, lr)                            Optimizer.sgdNoDiv()                sgd.cl, batch size 1
 * torch.optim.SGD(params, lr, momentum=0.9)              Optimizer.momentum(0.9f)            momentum.cl
 * torch.nn.utils.clip_grad_norm_(params, max_norm=1.0)   optimizer.withClipGradNorm(1f)      clip_grad_norm.cl
 * </pre>
 *
 * Division: {@link #divisor} is the {@code batchSize} the kernels divide by, the configured batch
 * size or 1; dividing by 1 is exact, so the undivided step is {@code sgd.cl}/{@code momentum.cl}
 * with batch size 1. {@link #momentum(float)} divides as d2l's {@code sgd} does (the chapter's loss
 * is a sum over the batch); {@link #momentumNoDiv(float)} is PyTorch's step for a mean loss.
 *
 * @param kind plain SGD or SGD with momentum
 * @param divideByBatchSize whether the gradient is divided by the batch size before the step
 * @param mu the momentum factor, in {@code [0, 1)}; must be 0 for {@link Kind#SGD}
 * @param maxNorm the {@code max_norm} of {@code clip_grad_norm_}, finite and {@code > 0}; 0 for no clipping
 */
public record Optimizer(Kind kind, boolean divideByBatchSize, float mu, float maxNorm) {
    /** The update rule. */
    public enum Kind {
        /** {@code p -= lr * g}: d2l's {@code sgd}, {@code torch.optim.SGD(params, lr)}. */
        SGD,
        /** {@code v = mu * v + g; p -= lr * v}: {@code torch.optim.SGD(params, lr, momentum=mu)}. */
        MOMENTUM
    }

    /** Checks the hyper-parameters. */
    public Optimizer {
        if (kind == null) {
            throw new ConfigException("an optimizer needs its kind (SGD or MOMENTUM)");
        }
        if (kind == Kind.MOMENTUM && !(mu >= 0 && mu < 1)) {
            throw new ConfigException("momentum = " + mu + ": it must be in [0, 1)");
        }
        if (kind == Kind.SGD && mu != 0) {
            throw new ConfigException("SGD momentum = " + mu + ": plain SGD takes none; use Optimizer.momentum");
        }
        if (maxNorm != 0 && !(maxNorm > 0 && Float.isFinite(maxNorm))) {
            throw new ConfigException("max_norm = " + maxNorm + ": it must be finite and > 0 (0: no clipping)");
        }
    }

    /** d2l's {@code sgd(params, lr, batch_size)}: {@code p -= lr * g / batch_size}. */
    public static Optimizer sgd() {
        return new Optimizer(Kind.SGD, true, 0f, 0f);
    }

    /** {@code torch.optim.SGD(params, lr)}: {@code p -= lr * g}, the gradient undivided. */
    public static Optimizer sgdNoDiv() {
        return new Optimizer(Kind.SGD, false, 0f, 0f);
    }

    /** {@code torch.optim.SGD(params, lr, momentum=mu)} on d2l's gradient divided by the batch size. */
    public static Optimizer momentum(float mu) {
        return new Optimizer(Kind.MOMENTUM, true, mu, 0f);
    }

    /** {@code torch.optim.SGD(params, lr, momentum=mu)}, the gradient undivided. */
    public static Optimizer momentumNoDiv(float mu) {
        return new Optimizer(Kind.MOMENTUM, false, mu, 0f);
    }

    /** This optimizer after {@code clip_grad_norm_(params, max_norm=maxNorm)} on every step. */
    public Optimizer withClipGradNorm(float maxNorm) {
        return new Optimizer(kind, divideByBatchSize, mu, maxNorm);
    }

    /** Whether the gradients are clipped before each step. */
    public boolean clips() {
        return maxNorm > 0;
    }

    /** The {@code batchSize} argument of {@code sgd}/{@code momentum}: the batch size, or 1 (exact). */
    public int divisor(int batchSize) {
        return divideByBatchSize ? batchSize : 1;
    }

    /**
     * The optimizer {@code name} names, as {@code train --optimizer} takes it: {@code sgd},
     * {@code sgd-nodiv}, {@code momentum[:MU]}, {@code momentum-nodiv[:MU]} (MU default 0.9); case and
     * surrounding blanks do not matter. Clipping is {@link #withClipGradNorm}.
     *
     * @throws ConfigException saying what is allowed, without repeating the name
     */
    public static Optimizer named(String name) {
        String[] parts = name.strip().toLowerCase(java.util.Locale.ROOT).split(":", 2);
        boolean momentum = parts[0].equals("momentum") || parts[0].equals("momentum-nodiv");
        if (parts.length == 2 && !momentum) {
            throw new ConfigException("only momentum takes a factor (momentum:MU)");
        }
        return switch (parts[0]) {
            case "sgd" -> sgd();
            case "sgd-nodiv" -> sgdNoDiv();
            case "momentum", "momentum-nodiv" -> {
                float mu = parts.length == 2 ? number(parts[1]) : 0.9f;
                if (!(mu >= 0 && mu < 1)) {
                    throw new ConfigException("the momentum factor must be in [0, 1)");
                }
                yield parts[0].equals("momentum") ? momentum(mu) : momentumNoDiv(mu);
            }
            default -> throw new ConfigException("must be sgd, sgd-nodiv, momentum[:MU] or momentum-nodiv[:MU]");
        };
    }

    /** {@code value} as a float, or a {@link ConfigException} saying it is not a number. */
    static float number(String value) {
        try {
            return Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + value + "' is not a number");
        }
    }

    /**
     * The name {@code train --optimizer} takes ({@code sgd}, {@code sgd-nodiv}, {@code momentum:0.9},
     * {@code momentum-nodiv:0.9}), and {@code +clip:1.0} for {@code --clip 1.0}.
     */
    @Override
    public String toString() {
        String base = (kind == Kind.SGD ? "sgd" : "momentum") + (divideByBatchSize ? "" : "-nodiv");
        return base + (kind == Kind.MOMENTUM ? ":" + mu : "") + (clips() ? "+clip:" + maxNorm : "");
    }
}
