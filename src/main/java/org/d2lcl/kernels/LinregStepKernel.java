package org.d2lcl.kernels;

import java.util.HashMap;
import java.util.Map;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code kernels/linreg_step.cl}: one minibatch's forward pass, residual, gradient
 * and SGD update of {@code w} and {@code b}, rows read through the permutation. A batch of up to
 * {@link #RUN} rows is one launch; a longer one is summed run by run in parallel work-groups and
 * updated by a second launch, with the same bits.
 */
public final class LinregStepKernel implements AutoCloseable {
    /** Rows per run, as {@code linreg_step.cl} defines it. */
    public static final int RUN = 4096;

    private record Kernels(Fitted<Tuning.Linreg> fitted, Kernel step, Kernel grad, Kernel update) {
        Kernels(Fitted<Tuning.Linreg> fitted) {
            this(fitted, fitted.kernel("linreg_step"), fitted.kernel("linreg_grad"), fitted.kernel("linreg_update"));
        }

        void close() {
            fitted.close();
        }
    }

    private final Context context;
    private final Tuning.Linreg tuning;
    /** The kernels for each row width d, the program's compile-time D. */
    private final Map<Integer, Kernels> byWidth = new HashMap<>();
    private final ScratchBuffer partial;
    /** The arguments linreg_step holds from the last call: a minibatch loop re-sets only start and count. */
    private Object[] lastArgs;

    public LinregStepKernel(Context context) {
        this(context, Tuning.linreg(context.device()));
    }

    /** With the given sizes instead of the device's: how the tests run every device's geometry. */
    LinregStepKernel(Context context, Tuning.Linreg tuning) {
        this.context = context;
        this.partial = new ScratchBuffer(context);
        this.tuning = tuning;
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
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Kernels k = kernels(d);
        Tuning.Linreg fit = k.fitted.geometry();
        long gradient = fit.gradientBytes(d);
        int l = fit.local();
        if (count <= RUN) {
            Object[] args = {k, w, b, x, y, idx, lr, batchSize};
            if (!java.util.Arrays.equals(args, lastArgs)) {
                k.step.arg(0, w).arg(1, b).arg(2, x).arg(3, y).arg(4, idx).arg(7, lr).arg(8, batchSize)
                        .argLocal(9, fit.residualBytes()).argLocal(10, gradient).argLocal(11, gradient);
                lastArgs = args;
            }
            k.step.arg(5, start).arg(6, count);
            k.step.launch(l, l);
            return;
        }
        int runs = Tuning.ceilDiv(count, RUN);
        Buffer p = partial.floats(runs * gradient / Float.BYTES);
        k.grad.arg(0, p).arg(1, w).arg(2, b).arg(3, x).arg(4, y).arg(5, idx).arg(6, start).arg(7, count)
                .argLocal(8, fit.residualBytes()).argLocal(9, gradient);
        k.grad.launch((long) runs * l, l);
        k.update.arg(0, w).arg(1, b).arg(2, p).arg(3, runs).arg(4, lr).arg(5, batchSize);
        k.update.launch(l, l);
    }

    private Kernels kernels(int d) {
        return byWidth.computeIfAbsent(d, w -> new Kernels(Fitted.build(context, "linreg_step.cl", tuning,
                Tuning.Linreg.shape(context.device(), w), "linreg_step", "linreg_grad", "linreg_update")));
    }

    /** The sizes asked for; rows of d features may get smaller ones ({@link #geometry(int)}). */
    Tuning.Linreg geometry() {
        return tuning;
    }

    /** The sizes the kernels for rows of {@code d} features were built with. */
    Tuning.Linreg geometry(int d) {
        return kernels(d).fitted.geometry();
    }

    @Override
    public void close() {
        byWidth.values().forEach(Kernels::close);
        byWidth.clear();
        partial.close();
    }
}
