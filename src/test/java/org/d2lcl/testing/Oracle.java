package org.d2lcl.testing;

/**
 * Float64 versions of the kernels' sums, written independently of {@code Reference}, and the
 * error bounds the float32 results are held to: when no term passes through more than {@code t}
 * roundings, {@code |computed - exact| <= gamma(t) * sum|term|} with
 * {@code gamma(t) = t·u / (1 - t·u)} and {@code u = 2^-24} (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2nd ed., Lemma 3.1 and Eq. 4.4). The bound holds for any order and any
 * tree of additions, with or without fused multiply-adds, as long as nothing underflows.
 */
public final class Oracle {
    /** Unit roundoff of float32. */
    public static final double U = Math.scalb(1.0, -24);

    private Oracle() {
    }

    /** {@code gamma(t) = t·u / (1 - t·u)}: the relative error of {@code t} float32 roundings in a row. */
    public static double gamma(long t) {
        double tu = t * U;
        if (tu >= 1) {
            throw new IllegalArgumentException("gamma(" + t + "): t·u must be < 1 for a bound to exist");
        }
        return tu / (1 - tu);
    }

    /** Exact-enough {@code C = A·B + bias} and, in {@code bound}, {@code gamma(k+1) (sum|a b| + |bias|)}. */
    public static double[] matmul(double[] bound, float[] a, float[] b, float[] bias, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[i * k + p] * b[p * n + j];
                    acc += t;
                    abs += Math.abs(t);
                }
                if (bias != null) {
                    acc += bias[j];
                    abs += Math.abs(bias[j]);
                }
                c[i * n + j] = acc;
                bound[i * n + j] = gamma(k + 1) * abs;
            }
        }
        return c;
    }

    /**
     * {@code dw = X^T r}, {@code db = sum r} with {@code r = yHat - y} exact (in double); {@code bound}
     * gets {@code gamma(n + 1) sum|x r|} for each: a float32 kernel rounds {@code r}, the product
     * and at most {@code n - 1} additions. Returns d + 1 values, db last.
     */
    public static double[] lossGrad(double[] bound, float[] x, float[] yHat, float[] y, int n, int d) {
        double[] g = new double[d + 1];
        double[] abs = new double[d + 1];
        for (int i = 0; i < n; i++) {
            double r = (double) yHat[i] - y[i];
            for (int j = 0; j < d; j++) {
                double t = (double) x[i * d + j] * r;
                g[j] += t;
                abs[j] += Math.abs(t);
            }
            g[d] += r;
            abs[d] += Math.abs(r);
        }
        for (int j = 0; j <= d; j++) {
            bound[j] = gamma(n + 1L) * abs[j];
        }
        return g;
    }

    /**
     * {@code dw = X^T r}, {@code db = sum r} for a given residual factor {@code r} (in double);
     * {@code bound} gets {@code gamma(n + 1) sum|x r|} for each: a float32 kernel rounds the product
     * and at most {@code n - 1} additions (n roundings; the bound allows one more, as for
     * {@link #lossGrad}). Returns d + 1 values, db last.
     */
    public static double[] residualGrad(double[] bound, float[] x, float[] r, int n, int d) {
        double[] g = new double[d + 1];
        double[] abs = new double[d + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double t = (double) x[i * d + j] * r[i];
                g[j] += t;
                abs[j] += Math.abs(t);
            }
            g[d] += r[i];
            abs[d] += Math.abs(r[i]);
        }
        for (int j = 0; j <= d; j++) {
            bound[j] = gamma(n + 1L) * abs[j];
        }
        return g;
    }

    /** {@code sum x} in double; {@code sumAbs[0]} gets {@code sum|x|}. */
    public static double sum(float[] x, int n, double[] sumAbs) {
        double s = 0;
        double abs = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
            abs += Math.abs(x[i]);
        }
        sumAbs[0] = abs;
        return s;
    }
}
