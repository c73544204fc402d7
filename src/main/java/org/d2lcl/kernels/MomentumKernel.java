package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/**
 * Host side of {@code kernels/momentum.cl}: SGD with momentum as {@code torch.optim.SGD(params, lr,
 * momentum=mu)}, in place: {@code v = first ? g / batchSize : mu * v + g / batchSize;
 * p -= lr * v; g = 0}.
 */
public final class MomentumKernel implements AutoCloseable {
    private final Elementwise momentum;

    /** Builds {@code momentum.cl} for the context's device. */
    public MomentumKernel(Context context) {
        this.momentum = Elementwise.build(context, "momentum.cl", "momentum");
    }

    /**
     * Enqueues one step over {@code n} parameters; {@code first} is PyTorch's first step, on which
     * the velocity is the gradient itself and {@code v}'s old contents are not read.
     */
    public void momentum(Buffer p, Buffer v, Buffer g, float lr, float mu, int batchSize, boolean first, int n) {
        momentum.kernel().arg(0, p).arg(1, v).arg(2, g).arg(3, lr).arg(4, mu).arg(5, batchSize)
                .arg(6, first ? 1 : 0).arg(7, n);
        momentum.launch(n);
    }

    @Override
    public void close() {
        momentum.close();
    }
}
