package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/** Host side of {@code kernels/gather.cl}: the rows of a minibatch, picked through the epoch's permutation. */
public final class GatherKernel implements AutoCloseable {
    private final Elementwise gatherRows;

    public GatherKernel(Context context) {
        this.gatherRows = Elementwise.build(context, "gather.cl", "gather_rows");
    }

    public void gather(Buffer xOut, Buffer yOut, Buffer x, Buffer y, Buffer idx, int start, int count, int d) {
        gatherRows.kernel().arg(0, xOut).arg(1, yOut).arg(2, x).arg(3, y).arg(4, idx).arg(5, start).arg(6, count)
                .arg(7, d);
        gatherRows.launch((long) count * d);
    }

    @Override
    public void close() {
        gatherRows.close();
    }
}
