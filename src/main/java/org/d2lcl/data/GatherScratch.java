package org.d2lcl.data;

/**
 * Each thread's arrays for a gather into buffers ({@link RowSource#gather(int[], int, int,
 * java.nio.FloatBuffer, java.nio.FloatBuffer, int)}), made once and grown as needed: arrays of a
 * megabyte are slow to allocate (the collector places them apart), and a gather runs per block.
 */
final class GatherScratch {
    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[2][0]);

    private GatherScratch() {
    }

    /** This thread's two arrays, of at least {@code x} and {@code y} floats. */
    static float[][] arrays(int x, int y) {
        float[][] xy = ARRAYS.get();
        if (xy[0].length < x) {
            xy[0] = new float[x];
        }
        if (xy[1].length < y) {
            xy[1] = new float[y];
        }
        return xy;
    }
}
