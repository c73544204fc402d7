package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/reduce.cl}: {@code out[0] = sum(x[0..n))} in two passes. */
public final class ReduceKernel implements AutoCloseable {
    private final int wg;
    private final int groups;
    private final Kernel reduceSum;
    private final Buffer partials;

    public ReduceKernel(Context context) {
        this.wg = Tuning.workGroup(context.device(), 256);
        // Enough groups to fill every compute unit several times over; pass 2 reads them all.
        this.groups = Math.min(wg, Math.max(1, Integer.highestOneBit(context.device().computeUnits() * 8)));
        String options = Tuning.baseOptions(context.device()) + " -DWG=" + wg;
        this.reduceSum = context.program("reduce.cl", options).kernel("reduce_sum");
        this.partials = context.floats(groups);
    }

    /** Enqueues {@code out[0] = x[0] + ... + x[n-1]}. */
    public void sum(Buffer out, Buffer x, int n) {
        int g = Math.max(1, Math.min(groups, Tuning.ceilDiv(n, wg)));
        reduceSum.arg(0, partials).arg(1, x).arg(2, n);
        reduceSum.launch((long) g * wg, wg);
        reduceSum.arg(0, out).arg(1, partials).arg(2, g);
        reduceSum.launch(wg, wg);
    }

    /**
     * The most additions between any input and the result for a sum of {@code n} floats: the
     * factor of {@code u * sum|x|} in the error bound stated in {@code reduce.cl}.
     */
    public long depth(long n) {
        int g = Math.max(1, Math.min(groups, Tuning.ceilDiv(n, wg)));
        int log2 = Integer.numberOfTrailingZeros(wg);
        return Tuning.ceilDiv(n, (long) g * wg) + Tuning.ceilDiv(g, wg) + 2L * log2;
    }

    @Override
    public void close() {
        reduceSum.close();
        partials.close();
    }
}
