package org.d2lcl;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Fence;
import org.d2lcl.backend.Staging;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.RowSource;

/**
 * The examples of a {@link RowSource} passed to the device chunk by chunk, double-buffered: two
 * sets of device tensors and of host staging buffers, used in turn. For chunk k in set s = k % 2:
 *
 * <pre>
 * gather chunk k's rows into staging s, on several threads     host, while the device runs chunk k - 1
 *   (staging s is free once chunk k - 2's copy has completed)
 * wait for the fence after chunk k - 2's operations, which     host (long passed: chunk k - 1 runs)
 *   read set s
 * copy staging s into set s, a blocking write                  second queue, beside chunk k - 1
 * enqueue chunk k's operations on set s and a fence after them  host; main queue
 * </pre>
 *
 * So the host reads the map, and the copy crosses to the device, while the device runs the previous
 * chunk. The queues are ordered from the host (waits on events), never by one queue's command
 * waiting on the other's event. On a backend that runs everything at once (the Java one) the same
 * steps run in turn.
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
    private final Staging[] xStaging = new Staging[2], yStaging = new Staging[2];
    private final Fence[] used = new Fence[2]; // per set: a fence after the operations of its last chunk
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
                xStaging[s] = owned.own(backend.staging(chunk * data.d()));
                yStaging[s] = owned.own(backend.staging(chunk));
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
        int n = data.n();
        for (int start = 0, k = 0; start < n; start += chunk, k++) {
            int s = k % 2, rows = Math.min(chunk, n - start), from = start;
            FloatBuffer x = xStaging[s].floats(), y = yStaging[s].floats();
            IntStream.range(0, (rows + GATHER_ROWS - 1) / GATHER_ROWS).parallel().forEach(block -> {
                int at = block * GATHER_ROWS;
                data.gather(order, from + at, Math.min(GATHER_ROWS, rows - at), x, y, at);
            });
            Set set = sets[s];
            await(used, s);
            backend.upload(set.x().head(rows), xStaging[s]);
            backend.upload(set.y().head(rows), yStaging[s]);
            work.run(set, start, rows);
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
                await(used, s);
            }
        } finally {
            owned.close();
        }
    }
}
