package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/loss_grad.cl}: {@code dw = X^T (y_hat - y)}, {@code db = sum(y_hat - y)}. */
public final class LossGradKernel implements AutoCloseable {
    private final int wg;
    private final Kernel lossGrad;

    public LossGradKernel(Context context) {
        this.wg = Tuning.workGroup(context.device(), 64);
        String options = Tuning.baseOptions(context.device()) + " -DWG=" + wg;
        this.lossGrad = context.program("loss_grad.cl", options).kernel("loss_grad");
    }

    public void lossGrad(Buffer dw, Buffer db, Buffer x, Buffer yHat, Buffer y, int n, int d) {
        lossGrad.arg(0, dw).arg(1, db).arg(2, x).arg(3, yHat).arg(4, y).arg(5, n).arg(6, d);
        lossGrad.launch((long) (d + 1) * wg, wg);
    }

    @Override
    public void close() {
        lossGrad.close();
    }
}
