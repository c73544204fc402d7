package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * Host side of {@code copy.cl}, kept with the benchmarks: {@code y = a * x}. Not a d2l operation:
 * the streaming kernel whose bandwidth the benchmarks take as the device's ceiling.
 */
public final class CopyKernel implements AutoCloseable {
    private final Tuning.Reduce tuning;
    private final int wg;
    private final Kernel copyScale;

    public CopyKernel(Context context) {
        this.tuning = Tuning.reduce(context.device());
        String options = Tuning.baseOptions(context.device()) + " -DVW=" + tuning.vw() + " -DCONTIGUOUS="
                + (tuning.contiguous() ? 1 : 0);
        Fitted<Integer> fitted = Fitted.build(context, "copy.cl", tuning.wg(), Tuning.local(options), "copy_scale");
        this.wg = fitted.geometry();
        this.copyScale = fitted.kernel("copy_scale");
    }

    /** Enqueues {@code y[i] = a * x[i]} for {@code i < n}, with the geometry of {@code reduce.cl}'s pass 1. */
    public void copyScale(Buffer y, Buffer x, float a, int n) {
        long perGroup = (long) wg * tuning.vw();
        long groups = Math.max(1, Math.min(tuning.groups(), (n + perGroup - 1) / perGroup));
        copyScale.arg(0, y).arg(1, x).arg(2, a).arg(3, n);
        copyScale.launch(groups * wg, wg);
    }

    /** The Java reference of {@code copy.cl}: {@code y[i] = a * x[i]}. */
    public static void reference(float[] y, float[] x, float a, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = a * x[i];
        }
    }

    @Override
    public void close() {
        copyScale.close();
    }
}
