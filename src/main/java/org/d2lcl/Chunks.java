package org.d2lcl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Fence;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.RowSource;

/**
 * The examples of a {@link RowSource} passed to the device chunk by chunk, double-buffered: two
 * sets of device tensors and of host staging buffers, used in turn. For chunk k in set s = k % 2:
 *
 * <pre>
 * wait until the upload of chunk k - 2 (from staging s) has completed       host
 * gather chunk k's rows into staging s, on several threads                   host, while the device
 *                                                                             runs chunk k - 1
 * upload staging s into set s once chunk k - 2's operations have run          second queue, beside
 *   (a fence after them); the operations enqueued next wait for the upload    chunk k - 1's kernels
 * enqueue chunk k's operations on set s, then a fence after them             main queue
 * </pre>
 *
 * So the host reads the map, and the copy crosses to the device, while the device runs the previous
 * chunk; on a backend that runs everything at once (the Java one) the same steps run in turn.
 * Each set's rows are reached through an identity order ({@link DataIter#inOrder}), so a chunk's
 * minibatches run exactly as in memory.
 */
final class Chunks implements AutoCloseable {
    /** Rows one thread gathers at a time. */
    private static final int GATHER_ROWS = 4096;

    /** One set of device tensors: a chunk's x and y, and its rows' identity order and minibatch tensors. */
    record Set(Tensor x, Tensor y, DataIter iter) {
    }

    /** What runs on each chunk: rows {@code start .. start + rows} of the pass's order, on {@code set}. */
    interface Work {
        void run(Set set, int start, int rows);
    }

    private final Backend backend;
    private final RowSource data;
    private final int chunk;
    private final Set[] sets = new Set[2];
    private final ByteBuffer[] xStaging = new ByteBuffer[2], yStaging = new ByteBuffer[2];
    private final Fence[] uploaded = new Fence[2], used = new Fence[2];
    private final Resources owned = new Resources();

    /** Two sets of {@code chunk} rows of {@code data}, minibatches of {@code batchSize}. */
    Chunks(Backend backend, RowSource data, int chunk, int batchSize) {
        this.backend = backend;
        this.data = data;
        this.chunk = chunk;
        try {
            for (int s = 0; s < 2; s++) {
                Tensor x = owned.own(backend.zeros(chunk, data.d()));
                Tensor y = owned.own(backend.zeros(chunk, 1));
                DataIter iter = owned.own(new DataIter(batchSize, x, y));
                iter.inOrder(); // uploads the identity order once
                sets[s] = new Set(x, y, iter);
                xStaging[s] = ByteBuffer.allocateDirect(chunk * data.d() * Float.BYTES).order(ByteOrder.nativeOrder());
                yStaging[s] = ByteBuffer.allocateDirect(chunk * Float.BYTES).order(ByteOrder.nativeOrder());
            }
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Rows per chunk. */
    int rows() {
        return chunk;
    }

    /** Runs {@code work} on every chunk of the examples in {@code order} (their own order when null). */
    void forEach(int[] order, Work work) {
        int n = data.n(), d = data.d();
        for (int start = 0, k = 0; start < n; start += chunk, k++) {
            int s = k % 2, rows = Math.min(chunk, n - start), from = start;
            await(uploaded, s);
            FloatBuffer x = xStaging[s].asFloatBuffer(), y = yStaging[s].asFloatBuffer();
            IntStream.range(0, (rows + GATHER_ROWS - 1) / GATHER_ROWS).parallel().forEach(block -> {
                int at = block * GATHER_ROWS, count = Math.min(GATHER_ROWS, rows - at);
                float[] xs = new float[count * d], ys = new float[count];
                data.gather(order, from + at, count, xs, ys, 0);
                x.put(at * d, xs);
                y.put(at, ys);
            });
            Set set = sets[s];
            Fence xUp = backend.upload(set.x().head(rows), xStaging[s], used[s]);
            Fence yUp = backend.upload(set.y().head(rows), yStaging[s], used[s]);
            xUp.close(); // y's copy follows x's on the same queue: its fence is passed after both
            uploaded[s] = yUp;
            work.run(set, start, rows);
            close(used, s);
            used[s] = backend.marker();
        }
    }

    private static void await(Fence[] fences, int s) {
        if (fences[s] != null) {
            fences[s].await();
            close(fences, s);
        }
    }

    private static void close(Fence[] fences, int s) {
        if (fences[s] != null) {
            fences[s].close();
            fences[s] = null;
        }
    }

    @Override
    public void close() {
        try {
            for (int s = 0; s < 2; s++) {
                await(uploaded, s);
                close(used, s);
            }
        } finally {
            owned.close();
        }
    }
}
