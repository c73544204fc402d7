package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/gather.cl}: the rows of a minibatch, picked through the epoch's permutation. */
public final class GatherKernel implements AutoCloseable {
    private final int wg;
    private final Kernel gatherRows;

    public GatherKernel(Context context) {
        Fitted<Integer> fitted = Fitted.build(context, "gather.cl", Tuning.workGroup(context.device(), 256),
                Tuning.local(Tuning.baseOptions(context.device())), "gather_rows");
        this.wg = fitted.geometry();
        this.gatherRows = fitted.kernel("gather_rows");
    }

    public void gather(Buffer xOut, Buffer yOut, Buffer x, Buffer y, Buffer idx, int start, int count, int d) {
        gatherRows.arg(0, xOut).arg(1, yOut).arg(2, x).arg(3, y).arg(4, idx).arg(5, start).arg(6, count).arg(7, d);
        gatherRows.launch(Kernel.roundUp((long) count * d, wg), wg);
    }

    @Override
    public void close() {
        gatherRows.close();
    }
}
