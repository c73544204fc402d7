package org.d2lcl.nn;

import java.util.ArrayList;
import java.util.List;
import org.d2lcl.backend.Tensor;

/**
 * PyTorch's {@code torch.optim.SGD(params, lr)} and {@code torch.optim.SGD(params, lr, momentum=mu)},
 * with no division by the batch size.
 *
 * <p>Plain: {@code p -= lr * p.grad} for each parameter. The gradient is {@code grad / gradDivisor}
 * ({@link Parameter}), so the step is {@code p -= (lr / gradDivisor) * grad}, the step size rounded
 * to float once on the host; it runs as {@code sgd.cl} with a batch size of 1 (a division by 1,
 * exact), which also leaves the gradient 0.
 *
 * <p>With momentum (dampening 0, no Nesterov): {@code buf = p.grad} on the first step, then
 * {@code buf = mu * buf + p.grad}; {@code p -= lr * buf}. The buffer holds the loss's own gradient,
 * so the divisor cannot be folded into the step size: it is {@code momentum.cl}'s {@code batchSize},
 * which divides the summed gradient on the device ({@code grad / gradDivisor}, then the fused
 * multiply-adds of {@link org.d2lcl.backend.Reference#momentum}). One velocity tensor per parameter,
 * on the parameter's device, is made here and freed by {@link #close()}.
 */
public final class SGD implements AutoCloseable {
    private final List<Parameter> params;
    private final float lr;
    private final float momentum;
    private final List<Tensor> velocities;
    private boolean first = true;

    /** {@code torch.optim.SGD(params, lr=lr)}; {@code lr} finite and {@code >= 0}. */
    public SGD(List<Parameter> params, float lr) {
        this(params, lr, 0f);
    }

    /**
     * {@code torch.optim.SGD(params, lr=lr, momentum=momentum)}; {@code lr} finite and {@code >= 0},
     * {@code momentum} in {@code [0, 1)}. With {@code momentum = 0} it is plain SGD and keeps no buffers,
     * as PyTorch's.
     */
    public SGD(List<Parameter> params, float lr, float momentum) {
        if (!(lr >= 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("SGD lr = " + lr + ": it must be finite and >= 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum = " + momentum + ": it must be in [0, 1)");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        List<Tensor> v = new ArrayList<>();
        if (momentum > 0) {
            for (Parameter p : this.params) {
                v.add(p.data().backend().zeros(p.data().rows(), p.data().cols()));
            }
        }
        this.velocities = List.copyOf(v);
    }

    /** The learning rate. */
    public float lr() {
        return lr;
    }

    /** The momentum factor {@code mu}; 0 for plain SGD. */
    public float momentum() {
        return momentum;
    }

    /** {@code trainer.zero_grad()}: every parameter's gradient 0. */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /**
     * {@code trainer.step()}, on the device: plain, {@code p -= (lr / gradDivisor) * grad}; with
     * momentum, {@code buf = grad / gradDivisor} (first step) or {@code mu * buf + grad / gradDivisor},
     * {@code p -= lr * buf}. Either leaves the gradient 0.
     */
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            if (momentum > 0) {
                p.data().backend().momentum(p.data(), velocities.get(i), p.grad(), lr, momentum, divisor(p), first);
            } else {
                float stepSize = lr / (float) p.gradDivisor();
                p.data().backend().sgd(p.data(), p.grad(), stepSize, 1);
            }
        }
        first = false;
    }

    /** The divisor as {@code momentum.cl}'s int {@code batchSize}: it counts a batch's rows, an int. */
    private static int divisor(Parameter p) {
        long d = p.gradDivisor();
        if (d < 1 || d > Integer.MAX_VALUE) {
            throw new IllegalStateException("gradient divisor " + d + " does not fit momentum.cl's int batch size");
        }
        return (int) d;
    }

    /** Frees the velocity tensors (closing the device frees them too); plain SGD holds none. */
    @Override
    public void close() {
        for (Tensor v : velocities) {
            v.close();
        }
    }
}
