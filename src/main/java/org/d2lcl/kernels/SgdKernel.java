package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/sgd.cl}: {@code p -= lr * g / batchSize; g = 0}, in place. */
public final class SgdKernel implements AutoCloseable {
    private final int wg;
    private final Kernel sgd;

    public SgdKernel(Context context) {
        Fitted<Integer> fitted = Fitted.build(context, "sgd.cl", Tuning.workGroup(context.device(), 256),
                Tuning.local(Tuning.baseOptions(context.device())), "sgd");
        this.wg = fitted.geometry();
        this.sgd = fitted.kernel("sgd");
    }

    public void sgd(Buffer p, Buffer g, float lr, int batchSize, int n) {
        sgd.arg(0, p).arg(1, g).arg(2, lr).arg(3, batchSize).arg(4, n);
        sgd.launch(Kernel.roundUp(n, wg), wg);
    }

    @Override
    public void close() {
        sgd.close();
    }
}
