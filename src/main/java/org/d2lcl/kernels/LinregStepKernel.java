package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * Host side of {@code kernels/linreg_step.cl}: one minibatch's forward pass, residual, gradient
 * and SGD update of {@code w} and {@code b} in one launch, rows read through the permutation.
 */
public final class LinregStepKernel implements AutoCloseable {
    private final Context context;
    private final Tuning.Linreg tuning;
    private final Kernel linregStep;

    public LinregStepKernel(Context context) {
        this.context = context;
        this.tuning = Tuning.linreg(context.device());
        this.linregStep = context.program("linreg_step.cl", tuning.options(context.device())).kernel("linreg_step");
    }

    /**
     * Enqueues the step over rows {@code idx[start .. start + count)} of {@code x} ({@code n x d})
     * and {@code y}: {@code w -= lr * dw / batchSize}, {@code b -= lr * db / batchSize}.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the gradient of d + 1 values does not fit
     *     the device's local memory
     */
    public void step(Buffer w, Buffer b, Buffer x, Buffer y, Buffer idx, int start, int count, float lr,
            int batchSize, int d) {
        tuning.checkLocalMemory(context.device(), d);
        linregStep.arg(0, w).arg(1, b).arg(2, x).arg(3, y).arg(4, idx).arg(5, start).arg(6, count).arg(7, lr)
                .arg(8, batchSize).arg(9, d).argLocal(10, tuning.residualBytes()).argLocal(11, tuning.gradientBytes(d));
        linregStep.launch(tuning.local(), tuning.local());
    }

    @Override
    public void close() {
        linregStep.close();
    }
}
