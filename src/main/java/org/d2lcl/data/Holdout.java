package org.d2lcl.data;

import java.util.Arrays;
import org.d2lcl.ConfigException;
import org.d2lcl.Rng;


/**
 * A dataset split in two: the examples to train on and the examples held out to measure how well
 * the model does on data it has not seen.
 *
 * <p>{@link #split} draws a permutation of the rows from {@link Rng#holdout(long)} and holds out
 * its first {@code round(fraction * n)} rows; each part keeps the rows in their original order.
 * The split depends only on the seed and {@code n}, never on the values.
 *
 * @param train the examples to train on
 * @param heldOut the held-out examples
 */
public record Holdout(Dataset train, Dataset heldOut) {
    /**
     * Holds out {@code round(fraction * n)} of the examples.
     *
     * @param fraction strictly between 0 and 1
     * @throws ConfigException when {@code fraction} is outside {@code (0, 1)} or leaves either part empty
     */
    public static Holdout split(Dataset data, double fraction, long seed) {
        int[][] parts = parts(data.n(), fraction, seed);
        return new Holdout(rows(data, parts[0]), rows(data, parts[1]));
    }

    /**
     * Which of {@code n} examples {@link #split} trains on and which it holds out, each in increasing
     * order: {@code {trainRows, heldOutRows}}.
     *
     * @throws ConfigException as {@link #split}
     */
    public static int[][] parts(int n, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new ConfigException("holdout " + fraction + ": the held-out fraction must be between 0 and 1,"
                    + " exclusive");
        }
        long held = Math.round(fraction * n);
        if (held < 1 || held > n - 1) {
            throw new ConfigException("holdout " + fraction + " of " + n + " examples holds out " + held
                    + ": both parts need at least one example, so it must hold out between 1 and " + (n - 1));
        }
        int[] order = Rng.permutation(new int[n], Rng.holdout(seed));
        int[] heldRows = Arrays.copyOfRange(order, 0, (int) held);
        int[] trainRows = Arrays.copyOfRange(order, (int) held, n);
        Arrays.sort(heldRows);
        Arrays.sort(trainRows);
        return new int[][] {trainRows, heldRows};
    }

    /**
     * The examples {@code rows} of {@code data}, in that order, as a view: nothing is copied until
     * they are gathered (a part of a file streamed from its map).
     */
    public static RowSource rows(RowSource data, int[] rows) {
        return RowSource.of(data.name(), rows.length, data.d(), (order, from, count, x, y, at) -> {
            int[] picked = new int[count];
            for (int r = 0; r < count; r++) {
                picked[r] = rows[order == null ? from + r : order[from + r]];
            }
            data.gather(picked, 0, count, x, y, at);
        });
    }

    /** The examples {@code rows} of {@code data}, in that order. */
    static Dataset rows(Dataset data, int[] rows) {
        int d = data.d();
        float[] x = new float[rows.length * d];
        float[] y = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(data.features(), rows[k] * d, x, k * d, d);
            y[k] = data.labels()[rows[k]];
        }
        return new Dataset(x, y, rows.length, d);
    }
}
