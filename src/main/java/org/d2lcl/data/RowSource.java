package org.d2lcl.data;

import java.nio.FloatBuffer;

/**
 * Where a run's examples come from, row by row: a {@link Dataset} on the heap, or a memory-mapped
 * {@code .npy} file ({@link Npy#source}) that the heap never holds whole. A streamed run gathers the
 * rows of each chunk of its permutation through {@link #gather} into staging arrays of one chunk.
 */
public interface RowSource {
    /** The file or data set, as messages name it. */
    String name();

    /** The number of examples. */
    int n();

    /** The number of features. */
    int d();

    /**
     * Copies examples {@code order[from .. from + count)} into rows {@code at .. at + count)} of
     * {@code x} ({@code d} values a row, row-major) and {@code y}; with {@code order} null, examples
     * {@code from .. from + count)}. Calls that write other rows may run at once on several threads.
     *
     * @throws DataException when a value is not finite, naming its row and column
     */
    void gather(int[] order, int from, int count, float[] x, float[] y, int at);

    /**
     * {@link #gather(int[], int, int, float[], float[], int)} into buffers (a streamed run's staging
     * memory): the same rows, values and exceptions. This one copies through arrays of the calling
     * thread's; a source that can copy straight into the buffers does.
     */
    default void gather(int[] order, int from, int count, FloatBuffer x, FloatBuffer y, int at) {
        float[][] xy = GatherScratch.arrays(count * d(), count);
        gather(order, from, count, xy[0], xy[1], 0);
        x.put(at * d(), xy[0], 0, count * d());
        y.put(at, xy[1], 0, count);
    }

    /** What copies rows straight into buffers: {@link #gather(int[], int, int, FloatBuffer, FloatBuffer, int)}'s contract. */
    @FunctionalInterface
    interface GatherInto {
        void gather(int[] order, int from, int count, FloatBuffer x, FloatBuffer y, int at);
    }

    /** What copies rows: {@link #gather}'s contract. */
    @FunctionalInterface
    interface Gather {
        void gather(int[] order, int from, int count, float[] x, float[] y, int at);
    }

    /** {@code n} examples of {@code d} features, named {@code name}, that {@code gather} copies. */
    static RowSource of(String name, int n, int d, Gather gather) {
        return of(name, n, d, gather, null);
    }

    /** {@link #of(String, int, int, Gather)} that copies into buffers with {@code into} (when not null). */
    static RowSource of(String name, int n, int d, Gather gather, GatherInto into) {
        return new RowSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int n() {
                return n;
            }

            @Override
            public int d() {
                return d;
            }

            @Override
            public void gather(int[] order, int from, int count, float[] x, float[] y, int at) {
                gather.gather(order, from, count, x, y, at);
            }

            @Override
            public void gather(int[] order, int from, int count, FloatBuffer x, FloatBuffer y, int at) {
                if (into != null) {
                    into.gather(order, from, count, x, y, at);
                } else {
                    RowSource.super.gather(order, from, count, x, y, at);
                }
            }
        };
    }
}
