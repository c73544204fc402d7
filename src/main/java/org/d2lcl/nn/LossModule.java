package org.d2lcl.nn;

import org.d2lcl.LossFunction;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;

/**
 * What {@link MSELoss}, {@link L1Loss} and {@link HuberLoss} share, PyTorch's loss modules over a
 * {@link LossFunction}: {@link #forward} is the reduced loss, {@link #backward} its analytic
 * gradient into a {@link Linear} layer's parameters.
 *
 * <p>Java has no autograd, so {@code l.backward()} is written out: the residual factor
 * {@code dl/dy_hat} per example ({@code loss.cl}'s {@code loss_residual}), then
 * {@code X^T r} and {@code sum r} into {@code weight.grad} and {@code bias.grad}
 * ({@code loss_grad.cl}'s {@code residual_grad}), overwriting them. The reduction's 1/n is not
 * applied to the gradient tensors: it is recorded as their {@link Parameter#gradDivisor()} and
 * folded into the step size by {@link SGD#step()} (with momentum, divided out on the device), so
 * that a mean with {@code lr} and a sum with {@code lr / n} run the same float operations on the
 * same values.
 */
public abstract class LossModule implements AutoCloseable {
    private final LossFunction function;
    private Backend backend;
    private Tensor l;
    private Tensor r;
    private Tensor sum;
    private Tensor yHat;
    private Tensor y;

    LossModule(LossFunction function) {
        this.function = function;
    }

    /** The per-example loss, the reduction and Huber's threshold. */
    public LossFunction function() {
        return function;
    }

    /**
     * {@code float(loss(y_hat, y))}: the per-example losses ({@code loss.cl}), summed on the device
     * ({@code reduce.cl}), the one value read and divided by n (for a mean) in double. {@code yHat}
     * and {@code y} are {@code n x 1} and are kept for {@link #backward}.
     */
    public double forward(Tensor yHat, Tensor y) {
        Backend b = yHat.backend();
        int n = yHat.rows();
        reserve(b, n);
        b.loss(function.kind(), l.head(n), yHat, y, function.delta());
        b.sum(sum, l.head(n));
        this.yHat = yHat;
        this.y = y;
        return function.reduce(sum.read()[0], n);
    }

    /**
     * {@code l.backward()} for the {@code net} whose output was the last {@link #forward}'s
     * {@code yHat}: {@code r = dl/dy_hat} per example, then {@code weight.grad = X^T r},
     * {@code bias.grad = sum r}, each with {@link Parameter#gradDivisor()} = n for a mean, 1 for a sum.
     */
    public void backward(Linear net) {
        if (yHat == null) {
            throw new IllegalStateException("backward before forward: call loss.forward(yHat, y) first");
        }
        Tensor x = net.input();
        int n = yHat.rows();
        if (x.rows() != n) {
            throw new IllegalStateException("backward: the loss saw " + n + " predictions, the layer's last input "
                    + x.shape() + " has " + x.rows() + " rows: call the loss on the layer's last output");
        }
        Tensor rn = r.head(n);
        backend.lossResidual(function.kind(), rn, yHat, y, function.delta());    // dl/dy_hat
        backend.residualGrad(net.weight().grad(), net.bias().grad(), x, rn);     // X^T r, sum r
        long divisor = function.divisor(n);
        net.weight().gradDivisor(divisor);
        net.bias().gradDivisor(divisor);
    }

    private void reserve(Backend b, int n) {
        if (backend != null && backend != b) {
            throw new IllegalArgumentException("a loss made for " + backend.description() + " was given tensors of "
                    + b.description() + ": use one loss per device");
        }
        backend = b;
        if (sum == null) {
            sum = b.zeros(1, 1);
        }
        if (l == null || l.rows() < n) {
            closeBuffers();
            l = b.zeros(n, 1);
            r = b.zeros(n, 1);
        }
    }

    private void closeBuffers() {
        if (l != null) {
            l.close();
            r.close();
        }
    }

    /** Frees the loss's buffers (closing the device frees them too). */
    @Override
    public void close() {
        closeBuffers();
        if (sum != null) {
            sum.close();
        }
    }
}
