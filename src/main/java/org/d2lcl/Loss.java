package org.d2lcl;

/**
 * The per-example losses, with {@code r = y_hat - y}, and their derivatives {@code dl/dy_hat}, the
 * residual factor the weight gradient {@code X^T r} multiplies ({@code kernels/loss.cl}, built with
 * {@code -DLOSS=<name>}). {@link LossFunction} adds the reduction and Huber's threshold.
 */
public enum Loss {
    /** d2l's {@code squared_loss}: {@code r^2 / 2}; factor {@code r}. */
    SQUARED,
    /** PyTorch's {@code nn.MSELoss} per example: {@code r^2}, no 1/2; factor {@code 2r}. */
    MSE,
    /**
     * PyTorch's {@code nn.L1Loss} per example: {@code |r|}; factor {@code sign(r)}, with the
     * subgradient 0 at {@code r = 0} (PyTorch's {@code sign(0) = 0}; {@code -0} for {@code r = -0}).
     */
    L1,
    /**
     * PyTorch's {@code nn.HuberLoss(delta)} per example: {@code 0.5 r^2} where {@code |r| < delta},
     * else {@code delta (|r| - 0.5 delta)}; factor {@code r} clamped to {@code [-delta, delta]}
     * (at {@code |r| = delta} both give {@code r}, as PyTorch's backward does).
     */
    HUBER
}
