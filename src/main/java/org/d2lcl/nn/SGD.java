package org.d2lcl.nn;

import java.util.List;

/**
 * PyTorch's {@code torch.optim.SGD(params, lr)}, plain: {@code p -= lr * p.grad} for each
 * parameter, with no division by the batch size. The gradient is {@code grad / gradDivisor}
 * ({@link Parameter}), so the step is {@code p -= (lr / gradDivisor) * grad}, the step size
 * rounded to float once on the host; it runs as {@code sgd.cl} with a batch size of 1 (a division
 * by 1, exact), which also leaves the gradient 0.
 */
public final class SGD {
    private final List<Parameter> params;
    private final float lr;

    /** {@code torch.optim.SGD(params, lr=lr)}; {@code lr} finite and {@code >= 0}. */
    public SGD(List<Parameter> params, float lr) {
        if (!(lr >= 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("SGD lr = " + lr + ": it must be finite and >= 0");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** The learning rate. */
    public float lr() {
        return lr;
    }

    /** {@code trainer.zero_grad()}: every parameter's gradient 0. */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /** {@code trainer.step()}: {@code p -= (lr / gradDivisor) * grad} for each parameter, on the device. */
    public void step() {
        for (Parameter p : params) {
            float stepSize = lr / (float) p.gradDivisor();
            p.data().backend().sgd(p.data(), p.grad(), stepSize, 1);
        }
    }
}
