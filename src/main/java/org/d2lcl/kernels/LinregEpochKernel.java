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
    private final Map<Integer, Fitted<Tuning.Linreg>> byWidth = new HashMap<>();

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
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Fitted<Tuning.Linreg> fitted = fitted(d);
        Tuning.Linreg fit = fitted.geometry();
        Kernel k = fitted.kernel("linreg_epoch");
        k.arg(0, w).arg(1, b).arg(2, loss).arg(3, status).arg(4, x).arg(5, y).arg(6, idx).arg(7, lr).arg(8, batchSize)
                .arg(9, n).argLocal(10, fit.residualBytes()).argLocal(11, fit.gradientBytes(d))
                .argLocal(12, fit.gradientBytes(d));
        k.launch(fit.local(), fit.local());
    }

    /**
     * The most additions between one row's loss and {@code loss[0]}: the factor of
     * {@code u * sum of the losses} in the bound stated in {@code linreg_epoch.cl}.
     */
    public long lossDepth(long n, int d) {
        int l = geometry(d).local();
        return (n + 16L * l - 1) / (16L * l) + 5 + Integer.numberOfTrailingZeros(l);
    }

    private Fitted<Tuning.Linreg> fitted(int d) {
        return byWidth.computeIfAbsent(d, w -> Fitted.build(context, "linreg_epoch.cl", tuning,
                Tuning.Linreg.shape(context.device(), w), "linreg_epoch"));
    }

    /** The sizes asked for; rows of d features may get smaller ones ({@link #geometry(int)}). */
    Tuning.Linreg geometry() {
        return tuning;
    }

    /** The sizes the kernel for rows of {@code d} features was built with. */
    Tuning.Linreg geometry(int d) {
        return fitted(d).geometry();
    }

    @Override
    public void close() {
        byWidth.values().forEach(Fitted::close);
        byWidth.clear();
    }
}
