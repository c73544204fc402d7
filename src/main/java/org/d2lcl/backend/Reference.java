package org.d2lcl.backend;

/**
 * The pure-Java reference of every kernel: plain loops over float arrays, one method per
 * {@code __kernel}, same name and argument order (output first, then inputs, then sizes).
 *
 * <p>Elementwise operations perform the same float operations in the same order as their kernels
 * and so give the same bits. Sums accumulate in increasing index order; the tests hold both
 * these and the kernels to a bound around a float64 oracle kept in the test sources.
 */
public final class Reference {
    private Reference() {
    }

    /** {@code matmul.cl}: {@code C[m x n] = A[m x k] · B[k x n] (+ bias[n])}, row-major; bias may be null. */
    public static void matmul(float[] c, float[] a, float[] b, float[] bias, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = bias == null ? acc : acc + bias[j];
            }
        }
    }

    /** {@code squared_loss.cl}: {@code l[i] = (yHat[i] - y[i])^2 / 2}. */
    public static void squaredLoss(float[] l, float[] yHat, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float r = yHat[i] - y[i];
            l[i] = r * r / 2f;
        }
    }

    /** {@code loss_grad.cl}: {@code dw[j] = sum_i X[i][j] (yHat[i] - y[i])}, {@code db[0] = sum_i (yHat[i] - y[i])}. */
    public static void lossGrad(float[] dw, float[] db, float[] x, float[] yHat, float[] y, int n, int d) {
        for (int j = 0; j < d; j++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                acc += x[i * d + j] * (yHat[i] - y[i]);
            }
            dw[j] = acc;
        }
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += yHat[i] - y[i];
        }
        db[0] = acc;
    }

    /** {@code reduce.cl}: {@code x[0] + ... + x[n-1]}, accumulated in double and rounded once. */
    public static float sum(float[] x, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += x[i];
        }
        return (float) acc;
    }

    /** {@code sgd.cl}: {@code p[i] -= lr * g[i] / batchSize; g[i] = 0}. */
    public static void sgd(float[] p, float[] g, float lr, int batchSize, int n) {
        for (int i = 0; i < n; i++) {
            p[i] = p[i] - lr * g[i] / batchSize;
            g[i] = 0f;
        }
    }

    /** {@code gather.cl}: {@code xOut[r] = x[idx[start + r]]}, {@code yOut[r] = y[idx[start + r]]} for {@code r < count}. */
    public static void gather(float[] xOut, float[] yOut, float[] x, float[] y, int[] idx, int start, int count,
            int d) {
        for (int r = 0; r < count; r++) {
            int src = idx[start + r];
            System.arraycopy(x, src * d, xOut, r * d, d);
            yOut[r] = y[src];
        }
    }
}
