package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * Host side of {@code kernels/clip_grad_norm.cl}: {@code torch.nn.utils.clip_grad_norm_} over the
 * weight and bias gradients together, in one launch of one work-group. The sum of squares has a
 * fixed order (64 lanes, then a tree), so the norm and the scaled gradients are the same bits for
 * every work-group size and equal to {@code Reference.clipGradNorm}.
 */
public final class ClipGradNormKernel implements AutoCloseable {
    /** The most work-items the kernel uses: one per lane of the sum. */
    static final int MAX_WG = 64;

    private final Fitted<Integer> fitted;
    private final Kernel clip;

    /** Builds {@code clip_grad_norm.cl} with the largest work-group up to 64 the device takes. */
    public ClipGradNormKernel(Context context) {
        this(context, Tuning.workGroup(context.device(), MAX_WG));
    }

    /** With a given work-group size (a power of two up to 64): how the tests run other devices' sizes. */
    ClipGradNormKernel(Context context, int wg) {
        if (wg < 1 || wg > MAX_WG || Integer.bitCount(wg) != 1) {
            throw new IllegalArgumentException("clip_grad_norm.cl: work-group " + wg + "; it must be a power of two <= "
                    + MAX_WG);
        }
        String base = Tuning.baseOptions(context.device());
        this.fitted = Fitted.build(context, "clip_grad_norm.cl", wg,
                Tuning.wg(base), "clip_grad_norm");
        this.clip = fitted.kernel("clip_grad_norm");
    }

    /** The work-group size the kernel was built with. */
    int geometry() {
        return fitted.geometry();
    }

    /**
     * Enqueues {@code normOut[0] = ||(gw, gb)||_2} and, where {@code maxNorm / (norm + 1e-6) < 1},
     * scales {@code gw[0 .. nw)} and {@code gb[0 .. nb)} by that factor.
     */
    public void clipGradNorm(Buffer normOut, Buffer gw, Buffer gb, float maxNorm, int nw, int nb) {
        int wg = fitted.geometry();
        clip.arg(0, normOut).arg(1, gw).arg(2, gb).arg(3, maxNorm).arg(4, nw).arg(5, nb);
        clip.launch(wg, wg);
    }

    @Override
    public void close() {
        fitted.close();
    }
}
