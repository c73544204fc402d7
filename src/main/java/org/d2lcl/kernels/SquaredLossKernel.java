package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/squared_loss.cl}: {@code l = (y_hat - y)^2 / 2}, elementwise. */
public final class SquaredLossKernel implements AutoCloseable {
    private final int wg;
    private final Kernel squaredLoss;

    public SquaredLossKernel(Context context) {
        Fitted<Integer> fitted = Fitted.build(context, "squared_loss.cl", Tuning.workGroup(context.device(), 256),
                Tuning.local(Tuning.baseOptions(context.device())), "squared_loss");
        this.wg = fitted.geometry();
        this.squaredLoss = fitted.kernel("squared_loss");
    }

    public void squaredLoss(Buffer l, Buffer yHat, Buffer y, int n) {
        squaredLoss.arg(0, l).arg(1, yHat).arg(2, y).arg(3, n);
        squaredLoss.launch(Kernel.roundUp(n, wg), wg);
    }

    @Override
    public void close() {
        squaredLoss.close();
    }
}
