package org.d2lcl.testing;

/**
 * Float64 versions of the fused training kernels, written from the chapter's formulas and not from
 * {@code Reference}, with error bounds carried through each step in the style of {@link Oracle}:
 * a float32 value that is the result of {@code t} roundings of exact operations on exact inputs is
 * within {@code t·u·(the sum of the magnitudes involved)} of the exact value, to first order.
 */
public final class LinregOracle {
    private LinregOracle() {
    }

    /** {@code t·u / (1 - t·u)}. */
    static double gamma(long t) {
        double tu = t * Oracle.U;
        return tu / (1 - tu);
    }

    /**
     * One minibatch step in float64 from the float32 inputs. Returns the exact new
     * {@code w[0..d)} and {@code b} (index d); {@code bound} gets, for each, how far a float32 kernel
     * may be from it: the residual's roundings ({@code d + 6} of them, through Σ|x w| + |b| + |y|)
     * carried into the gradient, the gradient's {@code count + 1} roundings, and the update's 3.
     */
    public static double[] step(double[] bound, float[] w, float b, float[] x, float[] y, int[] idx, int start,
            int count, float lr, int batchSize, int d) {
        double[] g = new double[d + 1];
        double[] gErr = new double[d + 1];
        double[] gAbs = new double[d + 1];
        for (int t = 0; t < count; t++) {
            int i = idx[start + t];
            double dot = 0;
            double mag = Math.abs(b) + Math.abs(y[i]);
            for (int j = 0; j < d; j++) {
                dot += (double) x[i * d + j] * w[j];
                mag += Math.abs((double) x[i * d + j] * w[j]);
            }
            double r = dot + b - y[i];
            double rErr = gamma(d + 6L) * mag;
            for (int j = 0; j <= d; j++) {
                double xj = j < d ? x[i * d + j] : 1.0;
                g[j] += xj * r;
                gErr[j] += Math.abs(xj) * rErr;
                gAbs[j] += Math.abs(xj) * (Math.abs(r) + rErr);
            }
        }
        double[] out = new double[d + 1];
        for (int j = 0; j <= d; j++) {
            double p = j < d ? w[j] : b;
            double scale = (double) lr / batchSize;
            double gBound = gErr[j] + gamma(count + 1L) * gAbs[j];
            out[j] = p - scale * g[j];
            bound[j] = scale * gBound * (1 + gamma(3)) + gamma(3) * (Math.abs(p) + scale * (Math.abs(g[j]) + gBound));
        }
        return out;
    }
}
