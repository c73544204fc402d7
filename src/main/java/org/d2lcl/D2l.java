package org.d2lcl;

import java.util.Random;
import org.d2lcl.backend.ShapeException;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;


/**
 * The functions of d2l's "Linear Regression Implementation from Scratch", by the chapter's names.
 * Each device function enqueues one kernel on the backend its tensors live on; outputs come first.
 *
 * <pre>
 * synthetic_data(w, b, n)     D2l.syntheticData(trueW, trueB, n, seed)
 * data_iter(bs, X, y)         new DataIter(bs, X, y).shuffle(rng)       gather.cl
 * linreg(X, w, b)             D2l.linreg(yHat, X, w, b)                  matmul.cl
 * squared_loss(y_hat, y)      D2l.squaredLoss(l, yHat, y)                squared_loss.cl
 * l.sum().backward()          D2l.squaredLossGrad(dw, db, X, yHat, y)    loss_grad.cl
 * sgd(params, lr, bs)         D2l.sgd(params, grads, lr, bs)             sgd.cl
 * train_l.mean()              D2l.mean(sum, l)                           reduce.cl
 * </pre>
 */
public final class D2l {
    private D2l() {
    }

    /** {@code w = torch.normal(0, 0.01, size=(d, 1))}: the initial weights, drawn from {@link Rng#init(long)}. */
    public static float[] initialWeights(int d, long seed) {
        Random rng = Rng.init(seed);
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) (0.01 * rng.nextGaussian());
        }
        return w;
    }

    /**
     * {@code X ~ N(0, 1)} of shape {@code n x d}, {@code y = X·w + b + N(0, 0.01)}: the chapter's
     * synthetic data, drawn from Philox4x32-10 keyed by {@code seed} ({@code philox.cl}'s
     * {@code synthetic_data}, {@link org.d2lcl.backend.Reference#syntheticData}: the same bits on the
     * device and on the host). The host arrays are made on first need ({@link Dataset#features()});
     * a trainer draws the data straight into the device's buffers.
     */
    public static Dataset syntheticData(float[] trueW, float trueB, int n, long seed) {
        if (trueW.length == 0) {
            throw new IllegalArgumentException("trueW is empty: at least one weight is needed");
        }
        double sumAbs = 0;
        for (int j = 0; j < trueW.length; j++) {
            if (!Float.isFinite(trueW[j])) {
                throw new IllegalArgumentException("trueW[" + j + "] = " + trueW[j] + ": weights must be finite");
            }
            sumAbs += Math.abs(trueW[j]);
        }
        if (!Float.isFinite(trueB)) {
            throw new IllegalArgumentException("trueB = " + trueB + ": the bias must be finite");
        }
        // |x| <= 5.8 (the largest normal Philox draws is sqrt(-2 ln 2^-24) = 5.77), so |y| stays
        // well inside float's range when this bound does.
        if (6 * sumAbs + Math.abs(trueB) + 1 > Float.MAX_VALUE / 4) {
            throw new IllegalArgumentException("|b| + 6 (|w_1| + ... + |w_d|) = " + (6 * sumAbs + Math.abs(trueB))
                    + " would let the labels overflow float32; it must stay below " + Float.MAX_VALUE / 4);
        }
        if (n <= 0) {
            throw new IllegalArgumentException("n = " + n + ": at least 1 example is needed");
        }
        int d = trueW.length;
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n = " + n + " examples of " + d + " features is "
                    + (long) n * d + " values; at most " + (Integer.MAX_VALUE - 8) + " fit in one array");
        }
        return Dataset.ofSynthetic(new Dataset.Synthetic(trueW, trueB, seed), n);
    }

    /**
     * {@code linreg(X, w, b) = X·w + b}.
     *
     * @throws ShapeException unless {@code X} is {@code n x d}, {@code w} {@code d x 1}, {@code b}
     *     {@code 1 x 1} and {@code yHat} {@code n x 1}
     */
    public static void linreg(Tensor yHat, Tensor x, Tensor w, Tensor b) {
        if (w.rows() != x.cols() || w.cols() != 1 || b.size() != 1) {
            throw new ShapeException("linreg: X " + x.shape() + ", w " + w.shape() + ", b " + b.shape()
                    + ": w must hold one weight per feature (" + x.cols() + "x1) and b one value (1x1)");
        }
        x.backend().matmul(yHat, x, w, b);
    }

    /** {@code squared_loss(y_hat, y) = (y_hat - y)^2 / 2}, elementwise. */
    public static void squaredLoss(Tensor l, Tensor yHat, Tensor y) {
        yHat.backend().squaredLoss(l, yHat, y);
    }

    /**
     * What {@code l.sum().backward()} leaves in {@code w.grad} and {@code b.grad}:
     * {@code dw = X^T (yHat - y)}, {@code db = sum(yHat - y)}.
     */
    public static void squaredLossGrad(Tensor dw, Tensor db, Tensor x, Tensor yHat, Tensor y) {
        x.backend().lossGrad(dw, db, x, yHat, y);
    }

    /**
     * {@code param -= lr * param.grad / batch_size; param.grad.zero_()} for each parameter. As in
     * the chapter, {@code batchSize} is the configured batch size, also for a last, smaller batch.
     */
    public static void sgd(Tensor[] params, Tensor[] grads, float lr, int batchSize) {
        if (params.length != grads.length) {
            throw new IllegalArgumentException(params.length + " parameters and " + grads.length
                    + " gradients: there must be one gradient per parameter");
        }
        for (int i = 0; i < params.length; i++) {
            params[i].backend().sgd(params[i], grads[i], lr, batchSize);
        }
    }

    /**
     * {@code torch.optim.SGD(params, lr, momentum=mu).step(); zero_grad()} for each parameter, its
     * velocity in {@code velocities}: {@code v = g / batchSize} on the {@code first} step, then
     * {@code v = mu * v + g / batchSize}; {@code param -= lr * v}. {@code batchSize = 1} is
     * PyTorch's undivided gradient ({@link Optimizer#divisor}).
     */
    public static void sgdMomentum(Tensor[] params, Tensor[] velocities, Tensor[] grads, float lr, float mu,
            int batchSize, boolean first) {
        if (params.length != grads.length || params.length != velocities.length) {
            throw new IllegalArgumentException(params.length + " parameters, " + velocities.length + " velocities and "
                    + grads.length + " gradients: there must be one of each per parameter");
        }
        for (int i = 0; i < params.length; i++) {
            params[i].backend().momentum(params[i], velocities[i], grads[i], lr, mu, batchSize, first);
        }
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_([w, b], maxNorm)} on the linear model's gradients:
     * {@code norm[0]} = their total 2-norm, and both scaled by {@code maxNorm / (norm + 1e-6)} where
     * that is below 1.
     */
    public static void clipGradNorm(Tensor norm, Tensor dw, Tensor db, float maxNorm) {
        dw.backend().clipGradNorm(norm, dw, db, maxNorm);
    }

    /**
     * {@code float(l.mean())}: {@code l} summed on the device ({@link #sum}, {@code reduce.cl}), then
     * the one value read and divided by n in double, as {@link Trainer} computes the epoch loss.
     */
    public static double mean(Tensor l) {
        try (Tensor sum = l.backend().zeros(1, 1)) {
            sum(sum, l);
            return sum.read()[0] / (double) l.size();
        }
    }

    /** Enqueues {@code sum[0] = l[0] + ... + l[n-1]}; the mean is {@code sum / n} once read. */
    public static void sum(Tensor sum, Tensor l) {
        l.backend().sum(sum, l);
    }
}
