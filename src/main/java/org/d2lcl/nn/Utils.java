package org.d2lcl.nn;

import java.util.List;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;

/** PyTorch's {@code torch.nn.utils}: what acts on a layer's gradients between {@code backward} and {@code step}. */
public final class Utils {
    private Utils() {
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_(net.parameters(), maxNorm)} for a {@link Linear} layer's
     * weight and bias ({@code clip_grad_norm.cl}): the 2-norm of both gradients together, and both
     * scaled by {@code maxNorm / (norm + 1e-6)} where that is below 1; returns the norm before clipping.
     *
     * <p>The gradient is {@code grad / gradDivisor} ({@link Parameter}), the same divisor for both
     * after a {@code backward}; the kernel clips the summed {@code grad} at {@code maxNorm * gradDivisor}
     * (rounded once to float) and the norm returned is the summed one divided by the divisor, in
     * double. The scale is PyTorch's but for its guard against a zero norm: the 1e-6 is added to the
     * summed gradient's norm, that is {@code 1e-6 / gradDivisor} to the loss's.
     *
     * @param params the weight then the bias, as {@link Linear#parameters()} gives them
     * @param maxNorm finite and {@code > 0}
     */
    public static double clipGradNorm(List<Parameter> params, float maxNorm) {
        if (params.size() != 2) {
            throw new IllegalArgumentException("clipGradNorm: " + params.size() + " parameters; it takes a Linear"
                    + " layer's two, the weight then the bias (net.parameters())");
        }
        Parameter w = params.get(0);
        Parameter b = params.get(1);
        if (w.gradDivisor() != b.gradDivisor()) {
            throw new IllegalArgumentException("clipGradNorm: the gradients' divisors differ (" + w.gradDivisor()
                    + ", " + b.gradDivisor() + "): clip after one loss's backward");
        }
        if (!(maxNorm > 0) || Float.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm = " + maxNorm + "; it must be finite and > 0");
        }
        long divisor = w.gradDivisor();
        float summedMaxNorm = (float) ((double) maxNorm * divisor);
        if (Float.isInfinite(summedMaxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm " + maxNorm + " times the gradient's divisor "
                    + divisor + " is past the float range");
        }
        Backend backend = w.data().backend();
        try (Tensor norm = backend.zeros(1, 1)) {
            backend.clipGradNorm(norm, w.grad(), b.grad(), summedMaxNorm);
            return norm.read()[0] / (double) divisor;
        }
    }
}
