package org.d2lcl.nn;

import java.util.Arrays;
import java.util.Random;
import org.d2lcl.Rng;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;

/**
 * PyTorch's {@code nn.Parameter}: a tensor the optimizer updates ({@link #data()}) and its gradient
 * ({@link #grad()}), both on the device.
 *
 * <p>The loss's {@code backward} writes the <em>summed</em> gradient {@code X^T r} into
 * {@link #grad()} and records what the reduction divides it by in {@link #gradDivisor()} (the batch
 * size for a mean, 1 for a sum); {@link SGD#step()} folds that divisor into the step size, or with
 * momentum divides by it on the device. The gradient of the loss itself, PyTorch's {@code p.grad},
 * is {@link #gradient()}.
 */
public final class Parameter implements AutoCloseable {
    private final Backend backend;
    private final Tensor data;
    private final Tensor grad;
    private long gradDivisor = 1;

    Parameter(Backend backend, int rows, int cols) {
        this.backend = backend;
        this.data = backend.zeros(rows, cols);
        this.grad = backend.zeros(rows, cols);
    }

    /** {@code p.data}: the values, {@code rows x cols}. */
    public Tensor data() {
        return data;
    }

    /** The summed gradient {@code X^T r} (or {@code sum r}) of the last backward; 0 after {@link #zeroGrad()}. */
    public Tensor grad() {
        return grad;
    }

    /** What {@link #grad()} is divided by to give the loss's gradient: n for a mean, 1 for a sum. */
    public long gradDivisor() {
        return gradDivisor;
    }

    void gradDivisor(long divisor) {
        this.gradDivisor = divisor;
    }

    /** The values, read from the device. */
    public float[] read() {
        return data.read();
    }

    /** PyTorch's {@code p.grad}: {@link #grad()} read from the device and divided by {@link #gradDivisor()}. */
    public float[] gradient() {
        float[] g = grad.read();
        for (int i = 0; i < g.length; i++) {
            g[i] /= gradDivisor;
        }
        return g;
    }

    /**
     * {@code p.data.normal_(mean, std)}: each value {@code (float) (mean + std * g)}, {@code g} the
     * Gaussians of {@link Rng#init(long)} for {@code seed}; {@code normal(0, 0.01, seed)} gives the
     * values of {@link org.d2lcl.D2l#initialWeights}.
     *
     * @return this parameter
     */
    public Parameter normal(double mean, double std, long seed) {
        if (!Double.isFinite(mean) || !(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("normal(" + mean + ", " + std + "): the mean must be finite and "
                    + "the standard deviation finite and >= 0");
        }
        Random rng = Rng.init(seed);
        float[] v = new float[(int) data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rng.nextGaussian());
        }
        backend.write(data, v);
        return this;
    }

    /**
     * {@code p.data.zero_()}.
     *
     * @return this parameter
     */
    public Parameter zeros() {
        return fill(0f);
    }

    /**
     * {@code p.data.fill_(value)}.
     *
     * @return this parameter
     */
    public Parameter fill(float value) {
        float[] v = new float[(int) data.size()];
        Arrays.fill(v, value);
        backend.write(data, v);
        return this;
    }

    /** {@code p.grad.zero_()}: the gradient 0, its divisor 1. */
    public void zeroGrad() {
        backend.write(grad, new float[(int) grad.size()]);
        gradDivisor = 1;
    }

    /** Frees the two tensors (closing the device frees them too). */
    @Override
    public void close() {
        grad.close();
        data.close();
    }
}
