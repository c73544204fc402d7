package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * Host side of {@code kernels/matmul.cl}: {@code C = A·B (+ bias)}, row-major, in one of two
 * variants (the file's header describes each). {@link #matmul(Buffer, Buffer, Buffer, Buffer, int,
 * int, int)} picks the variant from the shape; the other stays callable by name.
 */
public final class MatmulKernel implements AutoCloseable {
    /** The kernels of {@code matmul.cl}. */
    public enum Variant {
        /** {@code matmul}: local-memory tiles, one output per work-item. The straightforward kernel. */
        TILED,
        /** {@code gemv} / {@code gemv_narrow}: N = 1, X·w streamed once. */
        GEMV;

        /** The variant {@link #matmul(Buffer, Buffer, Buffer, Buffer, int, int, int)} uses. */
        public static Variant of(int n) {
            return n == 1 ? GEMV : TILED;
        }
    }

    private final Context context;
    private final String options;
    private final Fitted<Integer> tiledKernel;
    private final Fitted<Integer> gemvKernel;
    @SuppressWarnings("unchecked")
    private final Fitted<Integer>[] gemvNarrow = new Fitted[17];
    private final Kernel matmul;
    private final Kernel gemv;
    /** The TILED edge, as the built kernel takes it. */
    private final int tile;

    public MatmulKernel(Context context) {
        this.context = context;
        ClDevice device = context.device();
        this.tiledKernel = Fitted.build(context, "matmul.cl", Tuning.matmulTile(device), new Fitted.Shape<>(
                t -> Tuning.baseOptions(device) + " -DTILE=" + t, t -> (long) t * t, t -> 0,
                t -> t > 1 ? t / 2 : null), "matmul");
        this.tile = tiledKernel.geometry();
        this.matmul = tiledKernel.kernel("matmul");
        this.options = Tuning.baseOptions(device) + " -DTILE=" + tile;
        this.gemvKernel = gemvFitted(options, "gemv");
        this.gemv = gemvKernel.kernel("gemv");
    }

    private Fitted<Integer> gemvFitted(String buildOptions, String name) {
        return Fitted.build(context, "matmul.cl", Tuning.workGroup(context.device(), Tuning.GEMV_LOCAL),
                Tuning.local(buildOptions), name);
    }

    /**
     * Enqueues {@code C[m x n] = A[m x k] · B[k x n] (+ bias[n])}; {@code bias} may be null.
     * Buffers must hold at least the elements the shapes name.
     */
    public void matmul(Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        matmul(Variant.of(n), c, a, b, bias, m, k, n);
    }

    /** The same with the variant named; {@link Variant#GEMV} needs {@code n == 1}. */
    public void matmul(Variant variant, Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        switch (variant) {
            case TILED -> tiled(c, a, b, bias, m, k, n);
            case GEMV -> {
                if (n != 1) {
                    throw new IllegalArgumentException("the GEMV variant computes one column: n = " + n
                            + " must be 1");
                }
                gemv(c, a, b, bias, m, k);
            }
        }
    }

    private void tiled(Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        setArgs(matmul, c, a, b, bias).arg(4, m).arg(5, k).arg(6, n);
        matmul.launch(new long[] {Kernel.roundUp(n, tile), Kernel.roundUp(m, tile)}, new long[] {tile, tile});
    }

    private void gemv(Buffer y, Buffer a, Buffer x, Buffer bias, int m, int k) {
        int rows = Tuning.gemvRowsPerItem(context.device(), m);
        long items = Tuning.ceilDiv(m, rows);
        Fitted<Integer> fitted = k == 1 || k == 2 || k == 4 || k == 8 || k == 16 ? narrow(k) : gemvKernel;
        Kernel kernel = fitted == gemvKernel ? gemv : fitted.kernel("gemv_narrow");
        int local = fitted.geometry();
        setArgs(kernel, y, a, x, bias).arg(4, m).arg(5, k).arg(6, rows);
        kernel.launch(Kernel.roundUp(items, local), local);
    }

    /** {@code gemv_narrow} built for one K: the row width is a compile-time constant there. */
    private Fitted<Integer> narrow(int k) {
        if (gemvNarrow[k] == null) {
            gemvNarrow[k] = gemvFitted(options + " -DNARROW_K=" + k, "gemv_narrow");
        }
        return gemvNarrow[k];
    }

    static Kernel setArgs(Kernel kernel, Buffer c, Buffer a, Buffer b, Buffer bias) {
        kernel.arg(0, c).arg(1, a).arg(2, b);
        return bias == null ? kernel.argNull(3) : kernel.arg(3, bias);
    }

    /** The options {@code matmul.cl} is built with on this device. */
    public String options() {
        return options;
    }

    @Override
    public void close() {
        tiledKernel.close();
        gemvKernel.close();
        for (Fitted<Integer> k : gemvNarrow) {
            if (k != null) {
                k.close();
            }
        }
    }
}
