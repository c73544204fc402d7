package org.d2lcl.data;

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

    /** What copies rows: {@link #gather}'s contract. */
    @FunctionalInterface
    interface Gather {
        void gather(int[] order, int from, int count, float[] x, float[] y, int at);
    }

    /** {@code n} examples of {@code d} features, named {@code name}, that {@code gather} copies. */
    static RowSource of(String name, int n, int d, Gather gather) {
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
        };
    }
}
