package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/reduce.cl}: {@code out[0] = sum(x[0..n))} in two passes. */
public final class ReduceKernel implements AutoCloseable {
    private final Fitted<Tuning.Reduce> fitted;
    private final Tuning.Reduce tuning;
    private final Kernel reduceSum;
    private final Buffer partials;

    public ReduceKernel(Context context) {
        this(context, Tuning.reduce(context.device()));
    }

    /** With the given sizes instead of the device's: how the tests run every device's geometry. */
    ReduceKernel(Context context, Tuning.Reduce tuning) {
        this.fitted = Fitted.build(context, "reduce.cl", tuning, Tuning.Reduce.shape(context.device()), "reduce_sum");
        this.tuning = fitted.geometry();
        this.reduceSum = fitted.kernel("reduce_sum");
        this.partials = context.floats(this.tuning.groups());
    }

    /** The sizes the kernel was built with. */
    Tuning.Reduce geometry() {
        return tuning;
    }

    /** Enqueues {@code out[0] = x[0] + ... + x[n-1]}. */
    public void sum(Buffer out, Buffer x, int n) {
        int g = groups(n);
        int wg = tuning.wg();
        reduceSum.arg(0, partials).arg(1, x).arg(2, n);
        reduceSum.launch((long) g * wg, wg);
        reduceSum.arg(0, out).arg(1, partials).arg(2, g);
        reduceSum.launch(wg, wg);
    }

    /** Work-groups of pass 1: the tuned count, fewer when n is too small to give each item a vector. */
    private int groups(long n) {
        long perGroup = (long) tuning.wg() * tuning.vw();
        return (int) Math.max(1, Math.min(tuning.groups(), (n + perGroup - 1) / perGroup));
    }

    /**
     * The most additions between any input and the result for a sum of {@code n} floats: the
     * factor of {@code u * sum|x|} in the error bound stated in {@code reduce.cl}.
     */
    public long depth(long n) {
        int g = groups(n);
        return passDepth(n, (long) g * tuning.wg()) + passDepth(g, tuning.wg());
    }

    /** {@code m + log2(VW) + (VW - 1) + log2(WG)} for one pass over n floats by {@code items} work-items. */
    private long passDepth(long n, long items) {
        int vw = tuning.vw();
        long m = (n / vw + items - 1) / items;
        return m + Integer.numberOfTrailingZeros(vw) + (vw - 1) + Integer.numberOfTrailingZeros(tuning.wg());
    }

    @Override
    public void close() {
        fitted.close();
        partials.close();
    }
}
