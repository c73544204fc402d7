package org.d2lcl;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.ShapeException;
import org.d2lcl.kernels.Tuning;
import org.d2lcl.opencl.DeviceLimitException;

/**
 * Whether a run on {@code n x d} data streams, and in chunks of how many rows: a run streams when
 * its {@link Capacity} does not fit the device, or its tensors exceed a device-memory budget
 * ({@code --device-memory}). A chunk is a whole number of minibatches (or all n rows), the most that
 * fit the budget and the device's limits, found before anything is allocated.
 *
 * @param chunkRows rows per chunk: a multiple of the batch size, or n
 */
public record StreamPlan(int chunkRows) {
    /** Bytes of a float on the device. */
    private static final long FLOAT = Float.BYTES;

    /**
     * The plan of a run, or null when it runs in memory: the in-memory tensors fit the device and,
     * when {@code budget} is positive, that many bytes.
     *
     * @param budget the device memory the run may use, in bytes; 0 or less: the device's own limits
     * @throws ConfigException when not even one minibatch per chunk fits {@code budget}
     * @throws DeviceLimitException when not even one minibatch per chunk fits the device
     */
    public static StreamPlan of(Backend backend, int n, int d, int batchSize, long budget) {
        if (budget <= 0 || inMemoryBytes(n, d, batchSize) <= budget) {
            try {
                Capacity.check(backend, n, d, batchSize);
                return null;
            } catch (DeviceLimitException | ShapeException e) {
                // the data does not fit the device: stream it
            }
        }
        return streamed(backend, n, d, batchSize, budget);
    }

    /** Device bytes of the in-memory run ({@link Capacity}); beyond a long's range for more rows than an int. */
    public static long inMemoryBytes(long n, int d, int batchSize) {
        return n > Integer.MAX_VALUE ? Long.MAX_VALUE : LongStream.of(Capacity.floats((int) n, d, batchSize)).sum() * FLOAT;
    }

    /** The most host memory one chunk's staging takes (there are two): an eighth of the heap, at most 64 MiB. */
    static long hostChunkBytes() {
        return Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * The plan of a run that streams: chunks of the most whole minibatches that fit {@code budget}
     * (when positive), the device's limits and {@link #hostChunkBytes()} of staging on the host.
     *
     * @throws ConfigException when not even one minibatch per chunk fits {@code budget}
     * @throws DeviceLimitException when not even one minibatch per chunk fits the device
     */
    public static StreamPlan streamed(Backend backend, int n, int d, int batchSize, long budget) {
        long rows = Math.min(n, Math.max(batchSize, hostChunkBytes() / (FLOAT * (d + 1L))));
        if (budget > 0) {
            rows = Math.min(rows, (budget / FLOAT - fixedFloats(n, d, batchSize)) / perRow(d));
        }
        int chunk = chunkRows(rows, n, batchSize);
        if (chunk < batchSize && chunk < n) {
            throw new ConfigException(budget + " bytes: a streamed run of batch size " + batchSize + " on " + n + " x "
                    + d + " data needs at least " + bytes(n, d, batchSize, batchSize) + " bytes of device memory (one"
                    + " minibatch per chunk)");
        }
        while (true) {
            try {
                backend.checkCapacity(floats(n, d, batchSize, chunk));
                return new StreamPlan(chunk);
            } catch (DeviceLimitException | ShapeException e) {
                int half = chunkRows(chunk / 2, n, batchSize);
                if (half < batchSize || half == chunk) {
                    throw e;
                }
                chunk = half;
            }
        }
    }

    /** The most rows up to {@code rows} that are whole minibatches, or n when {@code rows >= n}. */
    private static int chunkRows(long rows, int n, int batchSize) {
        return rows >= n ? n : (int) Math.max(0, rows / batchSize * batchSize);
    }

    /** Device bytes of a streamed run with chunks of {@code chunk} rows. */
    public static long bytes(int n, int d, int batchSize, int chunk) {
        return LongStream.of(floats(n, d, batchSize, chunk)).sum() * FLOAT;
    }

    /** Floats per row of a chunk: two sets of x, y and the identity order, and y_hat and l. */
    private static long perRow(int d) {
        return 2 * (d + 2L) + 2;
    }

    private static long fixedFloats(int n, int d, int batchSize) {
        return LongStream.of(floats(n, d, batchSize, 0)).sum();
    }

    /** The floats of each tensor a {@link StreamedTrainer} makes. */
    static long[] floats(int n, int d, int batchSize, int chunk) {
        long c = chunk;
        long bs = batchSize;
        long[] run = {
            c * d, c, c * d, c,     // the two sets' x and y (Chunks)
            d, 1, d, 1,             // w, b, dw, db
            c, c, n, 1,             // a chunk's y_hat and l, all n losses, their sum
            c, bs * d, bs,          // the sets' identity orders and minibatches
            c, bs * d, bs,
            d + 1, 2,               // momentum's velocities, the running loss and its 0
            2L * bs, d + 1, 1,      // the unfused step's y_hat, r, gradient and norm
            Math.min(16L * Tuning.LINREG_MAX_LOCAL, (n + 15L) / 16 * 16)}; // the epoch kernel's loss lanes
        return LongStream.concat(Arrays.stream(run), Arrays.stream(Rollback.floats(d + 1))).toArray();
    }
}
