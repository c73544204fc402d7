package org.d2lcl;

import java.util.Locale;

/**
 * Which kernels run an epoch. All three train the same model from the same seed: the parameters
 * agree to float rounding, and FUSED and EPOCH agree bit for bit with each other.
 */
public enum Kernels {
    /**
     * The chapter made visible: for each minibatch, one kernel per d2l function (gather, linreg,
     * squared_loss, the loss gradient, sgd), then the epoch loss by linreg, squared_loss and a sum.
     */
    UNFUSED,
    /**
     * One {@code linreg_step.cl} launch per minibatch (forward, residual, gradient and update, rows
     * read through the permutation, nothing gathered), then the epoch loss as in UNFUSED.
     */
    FUSED,
    /**
     * One {@code linreg_epoch.cl} launch per epoch: every minibatch step and the epoch loss; the host
     * waits once per epoch, to read the loss. The fastest path on every size measured (README,
     * Performance), hence the default.
     */
    EPOCH;

    /** The path the trainer takes unless told otherwise. */
    public static final Kernels DEFAULT = EPOCH;

    /** {@code unfused}, {@code fused} or {@code epoch}, in any case. */
    public static Kernels parse(String name) {
        for (Kernels k : values()) {
            if (k.name().equalsIgnoreCase(name.strip())) {
                return k;
            }
        }
        throw new ConfigException("kernels '" + name + "': must be one of unfused, fused, epoch");
    }

    /** The name the command line takes: {@code unfused}, {@code fused}, {@code epoch}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
