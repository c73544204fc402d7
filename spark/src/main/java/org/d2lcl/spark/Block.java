package org.d2lcl.spark;

import java.io.Serializable;

/**
 * The rows of one partition as the kernels take them: {@code x} row-major {@code n x d}, {@code y}
 * {@code n x 1}. Spark keeps the blocks in memory for the whole fit; a partition without rows has
 * {@code d = -1}.
 *
 * @param partition the partition's index
 * @param n its rows
 * @param d the features per row
 * @param x the features, row-major
 * @param y the labels
 */
record Block(int partition, int n, int d, float[] x, float[] y) implements Serializable {
    /** Rows {@code rows} (indices into this block) as a new block's arrays: x then y. */
    float[][] rows(int[] rows) {
        float[] xs = new float[rows.length * d];
        float[] ys = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * d, xs, i * d, d);
            ys[i] = y[rows[i]];
        }
        return new float[][] {xs, ys};
    }
}
