package org.d2lcl.data;

import java.util.Arrays;

/**
 * Per-feature standardisation, {@code x' = (x - mean) / std}, fitted on the training examples and
 * kept with the model so that predictions see features scaled exactly as training did.
 *
 * <p>{@link #fit(RowSource)} computes, in double, the mean and the population standard deviation
 * (divided by {@code n}, as scikit-learn's {@code StandardScaler}) of each feature, the deviation in
 * a second pass over the centred values. A feature that is constant in the training data has
 * {@code std = 0}; it is given {@code std = 1}, so it is centred to 0 and never divided by zero.
 * {@link #apply} computes each value in double and rounds it once to float, so the same input always
 * gives the same bits.
 */
public final class Standardization {
    private final double[] mean;
    private final double[] std;

    private Standardization(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * The mean and standard deviation of each feature of {@code data}, in two passes over its rows in
     * order, a block of rows at a time: a {@link Dataset}, or a file streamed from its map, gives the
     * same statistics for the same rows.
     */
    public static Standardization fit(RowSource data) {
        int n = data.n();
        int d = data.d();
        double[] mean = new double[d];
        forEachBlock(data, (x, rows) -> {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i * d + j];
                }
            }
        });
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] var = new double[d];
        forEachBlock(data, (x, rows) -> {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    double c = x[i * d + j] - mean[j];
                    var[j] += c * c;
                }
            }
        });
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(var[j] / n);
            std[j] = s > 0 ? s : 1;
        }
        return new Standardization(mean, std);
    }

    /** Rows read at a time by {@link #fit}. */
    private static final int BLOCK_ROWS = 4096;

    private interface Block {
        void accept(float[] x, int rows);
    }

    private static void forEachBlock(RowSource data, Block block) {
        int rows = Math.min(BLOCK_ROWS, data.n());
        float[] x = new float[rows * data.d()];
        float[] y = new float[rows];
        for (int start = 0; start < data.n(); start += rows) {
            int count = Math.min(rows, data.n() - start);
            data.gather(null, start, count, x, y, 0);
            block.accept(x, count);
        }
    }

    /**
     * Statistics known from elsewhere, e.g. a saved model.
     *
     * @throws DataException when the lengths differ, a mean is not finite, or a deviation is not a
     *     finite number {@code > 0}
     */
    public static Standardization of(double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new DataException("standardization with " + mean.length + " means and " + std.length
                    + " deviations: there must be one of each per feature, at least one feature");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new DataException("standardization mean[" + j + "] = " + mean[j] + ": it must be finite");
            }
            if (!(std[j] > 0) || !Double.isFinite(std[j])) {
                throw new DataException("standardization std[" + j + "] = " + std[j]
                        + ": it must be a finite number > 0");
            }
        }
        return new Standardization(mean.clone(), std.clone());
    }

    /** The number of features. */
    public int d() {
        return mean.length;
    }

    /** The mean of each feature (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviation of each feature, 1 for a constant one (a copy). */
    public double[] std() {
        return std.clone();
    }

    /**
     * {@code data}'s rows with standardised features and the same labels, standardised as they are
     * gathered: the same bits as {@link #apply(float[], int)}, nothing held.
     */
    public RowSource apply(RowSource data) {
        int d = mean.length;
        return RowSource.of(data.name(), data.n(), d, (order, from, count, x, y, at) -> {
            data.gather(order, from, count, x, y, at);
            for (int i = at; i < at + count; i++) {
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) ((x[i * d + j] - mean[j]) / std[j]);
                }
            }
        });
    }

    /** {@code data} with standardised features and the same labels. */
    public Dataset apply(Dataset data) {
        return new Dataset(apply(data.features(), data.n()), data.labels(), data.n(), data.d());
    }

    /**
     * {@code n} rows of {@code d} features, row-major, standardised into a new array.
     *
     * @throws DataException when {@code features} does not hold {@code n} rows of {@link #d()} values
     */
    public float[] apply(float[] features, int n) {
        int d = mean.length;
        if (n < 0 || (long) n * d != features.length) {
            throw new DataException(features.length + " feature values for " + n + " rows: a standardization of "
                    + d + " features needs exactly " + (long) Math.max(n, 0) * d);
        }
        float[] out = new float[features.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((features[i * d + j] - mean[j]) / std[j]);
            }
        }
        return out;
    }

    /**
     * The parameters of a linear model on standardised features, moved to the raw features' units:
     * {@code w'_j = w_j / std_j} and {@code b' = b - Σ w_j mean_j / std_j}, computed in double and
     * rounded once to float, so that {@code x·w' + b' = x'·w + b} up to rounding. Values that are not
     * finite pass through (a diverged run still reports).
     *
     * @return {@code d + 1} values: {@code w'}, then {@code b'}
     */
    public float[] toOriginalUnits(float[] w, float b) {
        if (w.length != mean.length) {
            throw new DataException(w.length + " weights for a standardization of " + mean.length
                    + " features: there must be one weight per feature");
        }
        float[] out = new float[w.length + 1];
        double b2 = b;
        for (int j = 0; j < w.length; j++) {
            double wj = w[j] / std[j];
            out[j] = (float) wj;
            b2 -= wj * mean[j];
        }
        out[w.length] = (float) b2;
        return out;
    }

    /** Equal means and deviations, bit for bit. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
