package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/** Host side of {@code kernels/matmul.cl}: {@code C = A·B (+ bias)}, row-major. */
public final class MatmulKernel implements AutoCloseable {
    private final int tile;
    private final Kernel matmul;

    public MatmulKernel(Context context) {
        this.tile = Tuning.matmulTile(context.device());
        String options = Tuning.baseOptions(context.device()) + " -DTILE=" + tile;
        this.matmul = context.program("matmul.cl", options).kernel("matmul");
    }

    /**
     * Enqueues {@code C[m x n] = A[m x k] · B[k x n] (+ bias[n])}; {@code bias} may be null.
     * Buffers must hold at least the elements the shapes name.
     */
    public void matmul(Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        matmul.arg(0, c).arg(1, a).arg(2, b);
        if (bias == null) {
            matmul.argNull(3);
        } else {
            matmul.arg(3, bias);
        }
        matmul.arg(4, m).arg(5, k).arg(6, n);
        matmul.launch(new long[] {Kernel.roundUp(n, tile), Kernel.roundUp(m, tile)}, new long[] {tile, tile});
    }

    @Override
    public void close() {
        matmul.close();
    }
}
