package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/** Host side of {@code kernels/squared_loss.cl}: {@code l = (y_hat - y)^2 / 2}, elementwise. */
public final class SquaredLossKernel implements AutoCloseable {
    private final Elementwise squaredLoss;

    public SquaredLossKernel(Context context) {
        this.squaredLoss = Elementwise.build(context, "squared_loss.cl", "squared_loss");
    }

    public void squaredLoss(Buffer l, Buffer yHat, Buffer y, int n) {
        squaredLoss.kernel().arg(0, l).arg(1, yHat).arg(2, y).arg(3, n);
        squaredLoss.launch(n);
    }

    @Override
    public void close() {
        squaredLoss.close();
    }
}
