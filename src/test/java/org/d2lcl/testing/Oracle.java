package org.d2lcl.testing;

/**
 * Float64 versions of the kernels' sums, written independently of {@code Reference}, and the
 * error bounds the float32 results are held to: for a sum of {@code t} terms in any order,
 * {@code |computed - exact| <= t * u * sum|term|} with {@code u = 2^-24} (Higham, Accuracy and
 * Stability, 2nd ed., Eq. 4.4, to first order).
 */
public final class Oracle {
    /** Unit roundoff of float32. */
    public static final double U = Math.scalb(1.0, -24);

    private Oracle() {
    }

    /** Exact-enough {@code C = A·B + bias} and, in {@code bound}, {@code (k+1) u (sum|a b| + |bias|)}. */
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
                bound[i * n + j] = (k + 1) * U * abs;
            }
        }
        return c;
    }

    /**
     * {@code dw = X^T r}, {@code db = sum r} with {@code r = yHat - y} rounded to float as the
     * kernel rounds it; {@code bound} gets {@code (n + 1) u sum|x r|} for each (the +1 is that rounding).
     * Returns d + 1 values, db last.
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
            bound[j] = (n + 1) * U * abs[j];
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
