package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/** Host side of {@code kernels/sgd.cl}: {@code p -= lr * g / batchSize; g = 0}, in place. */
public final class SgdKernel implements AutoCloseable {
    private final Elementwise sgd;

    public SgdKernel(Context context) {
        this.sgd = Elementwise.build(context, "sgd.cl", "sgd");
    }

    public void sgd(Buffer p, Buffer g, float lr, int batchSize, int n) {
        sgd.kernel().arg(0, p).arg(1, g).arg(2, lr).arg(3, batchSize).arg(4, n);
        sgd.launch(n);
    }

    @Override
    public void close() {
        sgd.close();
    }
}
