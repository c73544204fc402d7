package org.d2lcl.kernels;

import java.util.HashMap;
import java.util.Map;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * Host side of {@code kernels/linreg_epoch.cl}: every minibatch step of an epoch and the epoch's
 * loss in one launch, by one work-group walking the permutation.
 */
public final class LinregEpochKernel implements AutoCloseable {
    private final Context context;
    private final Tuning.Linreg tuning;
    /** One kernel per row width d, the program's compile-time D. */
    private final Map<Integer, Kernel> byWidth = new HashMap<>();

    public LinregEpochKernel(Context context) {
        this(context, Tuning.linreg(context.device()));
    }

    /** With the given sizes instead of the device's: how the tests run every device's geometry. */
    LinregEpochKernel(Context context, Tuning.Linreg tuning) {
        this.context = context;
        this.tuning = tuning;
    }

    /**
     * Enqueues one epoch over the {@code n} rows of {@code x} in the order of {@code idx}, then
     * {@code loss[0] = sum of the squared losses} with the final parameters and {@code status[0]} =
     * 0, or 1 + the first step after which a parameter was not finite.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the gradient of d + 1 values does not fit
     *     the device's local memory
     */
    public void epoch(Buffer w, Buffer b, Buffer loss, Buffer status, Buffer x, Buffer y, Buffer idx, float lr,
            int batchSize, int n, int d) {
        tuning.checkLocalMemory(context.device(), d);
        Kernel k = kernel(d);
        k.arg(0, w).arg(1, b).arg(2, loss).arg(3, status).arg(4, x).arg(5, y).arg(6, idx).arg(7, lr).arg(8, batchSize)
                .arg(9, n).argLocal(10, tuning.residualBytes()).argLocal(11, tuning.gradientBytes(d))
                .argLocal(12, tuning.gradientBytes(d));
        k.launch(tuning.local(), tuning.local());
    }

    /**
     * The most additions between one row's loss and {@code loss[0]}: the factor of
     * {@code u * sum of the losses} in the bound stated in {@code linreg_epoch.cl}.
     */
    public long lossDepth(long n) {
        int l = tuning.local();
        return (n + 16L * l - 1) / (16L * l) + 5 + Integer.numberOfTrailingZeros(l);
    }

    private Kernel kernel(int d) {
        return byWidth.computeIfAbsent(d,
                w -> context.program("linreg_epoch.cl", tuning.options(context.device(), w)).kernel("linreg_epoch"));
    }

    /** The sizes this kernel was built with. */
    Tuning.Linreg geometry() {
        return tuning;
    }

    @Override
    public void close() {
        byWidth.values().forEach(Kernel::close);
        byWidth.clear();
    }
}
