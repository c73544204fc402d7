package org.d2lcl.nn;

import java.util.List;
import org.d2lcl.Device;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.ShapeException;
import org.d2lcl.backend.Tensor;

/**
 * PyTorch's {@code nn.Linear(d, 1)}: {@code y_hat = X·w + b}, with the weight {@code w}
 * ({@code d x 1}) and the bias {@code b} ({@code 1 x 1}) as {@link Parameter}s, both 0 until
 * initialised ({@link Parameter#normal}, {@link Parameter#zeros}, {@link Parameter#fill}).
 * {@link #forward} is {@code matmul.cl}; it keeps its input for the loss's {@code backward}.
 */
public final class Linear implements AutoCloseable {
    private final Backend backend;
    private final int inFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor out;
    private Tensor input;

    /** {@code nn.Linear(inFeatures, 1)} on {@code dev}. */
    public Linear(Device dev, int inFeatures) {
        if (inFeatures < 1) {
            throw new IllegalArgumentException("Linear(" + inFeatures + ", 1): at least one input feature is needed");
        }
        this.backend = dev.backend();
        this.inFeatures = inFeatures;
        this.weight = new Parameter(backend, inFeatures, 1);
        this.bias = new Parameter(backend, 1, 1);
    }

    /** {@code weight}, {@code d x 1} (PyTorch stores its transpose, {@code 1 x d}). */
    public Parameter weight() {
        return weight;
    }

    /** {@code bias}, {@code 1 x 1}. */
    public Parameter bias() {
        return bias;
    }

    /** {@code net.parameters()}: the weight, then the bias. */
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * {@code net(X)}: {@code X·w + b} for {@code X} ({@code n x d}), one {@code matmul}. The result is
     * the layer's own output tensor, valid until the next {@code forward}; {@code X} is kept for
     * the loss's {@code backward} and must stay as it is until then.
     */
    public Tensor forward(Tensor x) {
        if (x.cols() != inFeatures) {
            throw new ShapeException("Linear(" + inFeatures + ", 1).forward: X " + x.shape()
                    + ": X must have " + inFeatures + " columns");
        }
        int n = x.rows();
        if (out == null || out.rows() < n) {
            if (out != null) {
                out.close();
            }
            out = backend.zeros(n, 1);
        }
        Tensor yHat = out.head(n);
        backend.matmul(yHat, x, weight.data(), bias.data());
        input = x;
        return yHat;
    }

    /** The input of the last {@link #forward}, for the loss's backward. */
    Tensor input() {
        if (input == null) {
            throw new IllegalStateException("backward before forward: call net.forward(X) first");
        }
        return input;
    }

    /** Frees the parameters and the output tensor (closing the device frees them too). */
    @Override
    public void close() {
        if (out != null) {
            out.close();
        }
        bias.close();
        weight.close();
    }
}
