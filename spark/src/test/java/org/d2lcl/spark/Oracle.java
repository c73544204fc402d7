package org.d2lcl.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The tests' arithmetic in double: losses, distances, and the bound of a changed summation order. */
final class Oracle {
    private static final double U = 0x1p-24;

    private Oracle() {
    }

    static float[] params(float[] w, float b) {
        float[] p = Arrays.copyOf(w, w.length + 1);
        p[w.length] = b;
        return p;
    }

    static float[] params(D2lLinearRegressionModel model) {
        double[] c = model.coefficients().toArray();
        float[] p = new float[c.length + 1];
        for (int j = 0; j < c.length; j++) {
            p[j] = (float) c[j];
        }
        p[c.length] = (float) model.intercept();
        return p;
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += ((double) a[j] - b[j]) * ((double) a[j] - b[j]);
        }
        return Math.sqrt(s);
    }

    static double gamma(long k) {
        return k * U / (1 - k * U);
    }

    /**
     * The bound one full-batch step from {@code (w, b)} adds to the distance between two runs that
     * sum in different orders (see {@code SynchronousSgdTest}): {@code (lr/B)|E|_2 + 6u(|theta|_2 + lr|g|_2/B)}.
     */
    static double stepBound(org.d2lcl.data.Dataset data, float[] w, float b, float lr, int batch) {
        int n = data.n(), d = data.d();
        float[] x = data.features(), y = data.labels();
        double[] g = new double[d + 1], s = new double[d + 1], t = new double[d + 1];
        for (int i = 0; i < n; i++) {
            double dot = b, abs = Math.abs(b);
            for (int k = 0; k < d; k++) {
                dot += (double) x[i * d + k] * w[k];
                abs += Math.abs((double) x[i * d + k] * w[k]);
            }
            double r = dot - y[i];
            for (int j = 0; j <= d; j++) {
                double xij = j < d ? x[i * d + j] : 1;
                g[j] += xij * r;
                s[j] += Math.abs(xij * r);
                t[j] += Math.abs(xij) * abs;
            }
        }
        double e2 = 0, g2 = 0, theta2 = (double) b * b;
        for (int j = 0; j <= d; j++) {
            double e = (2 * gamma(n + 1) + U) * s[j] + 2 * gamma(d + 1) * t[j] + U * Math.abs(g[j]);
            e2 += e * e;
            g2 += g[j] * g[j];
            theta2 += j < d ? (double) w[j] * w[j] : 0;
        }
        return lr / batch * Math.sqrt(e2) + 6 * U * (Math.sqrt(theta2) + lr / batch * Math.sqrt(g2));
    }

    /** The largest eigenvalue of {@code [X 1]^T [X 1]}, by power iteration in double. */
    static double lambdaMax(org.d2lcl.data.Dataset data) {
        int n = data.n(), d = data.d();
        float[] x = data.features();
        double[][] a = new double[d + 1][d + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= d; j++) {
                for (int k = 0; k <= d; k++) {
                    a[j][k] += (j < d ? x[i * d + j] : 1) * (double) (k < d ? x[i * d + k] : 1);
                }
            }
        }
        double[] v = new double[d + 1];
        Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double[] next = new double[d + 1];
            double norm = 0;
            for (int j = 0; j <= d; j++) {
                for (int k = 0; k <= d; k++) {
                    next[j] += a[j][k] * v[k];
                }
                norm += next[j] * next[j];
            }
            lambda = Math.sqrt(norm);
            for (int j = 0; j <= d; j++) {
                v[j] = next[j] / lambda;
            }
        }
        return lambda * (1 + 1e-6); // the power iteration approaches from below
    }

    /** {@code mean((prediction - label)^2) / 2} over a transformed DataFrame, in double. */
    static double squaredLoss(Dataset<Row> predicted, String label, String prediction) {
        List<Row> rows = predicted.select(label, prediction).collectAsList();
        double sum = 0;
        for (Row r : rows) {
            double e = ((Number) r.get(1)).doubleValue() - ((Number) r.get(0)).doubleValue();
            sum += e * e / 2;
        }
        return sum / rows.size();
    }

    /** The vector column {@code features} of {@code frame} as doubles, row by row. */
    static double[][] vectors(Dataset<Row> frame, String features) {
        return frame.select(features).collectAsList().stream().map(r -> ((Vector) r.get(0)).toArray())
                .toArray(double[][]::new);
    }
}
