package org.d2lcl;

import java.util.Arrays;

/**
 * A regression dataset on the host: {@code n} examples of {@code d} features, row-major, and one
 * label per example. Every value is finite; the constructor says which row and column is not.
 */
public final class Dataset {
    private final float[] features;
    private final float[] labels;
    private final int n;
    private final int d;

    /**
     * @param features {@code n x d} values, row-major (kept, not copied)
     * @param labels {@code n} values (kept, not copied)
     */
    public Dataset(float[] features, float[] labels, int n, int d) {
        if (n <= 0) {
            throw new DataException("the dataset has " + n + " examples; at least 1 is needed");
        }
        if (d <= 0) {
            throw new DataException("the dataset has " + d + " features; at least 1 is needed");
        }
        if ((long) n * d != features.length) {
            throw new DataException(features.length + " feature values for " + n + " examples of " + d
                    + " features: exactly " + (long) n * d + " are needed");
        }
        if (labels.length != n) {
            throw new DataException(labels.length + " labels for " + n + " examples: one per example is needed");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new DataException("feature value " + features[i] + " in row " + (i / d) + ", column " + (i % d)
                        + ": every value must be finite");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(labels[i])) {
                throw new DataException("label " + labels[i] + " in row " + i + ": every value must be finite");
            }
        }
        this.features = features;
        this.labels = labels;
        this.n = n;
        this.d = d;
    }

    /** The number of examples. */
    public int n() {
        return n;
    }

    /** The number of features. */
    public int d() {
        return d;
    }

    /** The {@code n x d} features, row-major; the array itself, not a copy. */
    public float[] features() {
        return features;
    }

    /** The {@code n} labels; the array itself, not a copy. */
    public float[] labels() {
        return labels;
    }

    /** Row {@code i}'s features, copied. */
    public float[] row(int i) {
        return Arrays.copyOfRange(features, i * d, (i + 1) * d);
    }
}
