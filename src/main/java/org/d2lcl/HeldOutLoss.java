package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.sum;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.RowSource;


/**
 * The chapter's epoch loss, {@code squared_loss(linreg(X, w, b), y).mean()}, on data the trainer
 * does not train on: a held-out split. It runs the same kernels, in the same order and on the same
 * shapes as {@link Trainer#loss()}, so on the training data it gives the very same number.
 *
 * <p>A {@link Dataset} goes to the device once. Each {@link #loss(float[], float)} uploads the
 * {@code d + 1} parameters, enqueues {@code linreg}, {@code squared_loss} and {@code sum}, and reads
 * one float: called after an epoch, it adds no synchronisation the epoch loss did not already make.
 * Rows streamed from a file ({@link #HeldOutLoss(Backend, RowSource, int)}) pass through the device
 * in chunks each time instead, their losses gathered into one vector of n: the same sum, the same bits.
 */
public final class HeldOutLoss implements AutoCloseable {
    private boolean closed;
    private final Backend backend;
    private final int n;
    private final int d;
    private final Resources owned = new Resources();
    private final Tensor features, labels; // a Dataset's, on the device; null when streamed
    private final Chunks chunks; // the streamed rows' chunks, else null
    private final Tensor w, b, yHat, lChunk, l, lossSum;

    /** Uploads {@code data} to {@code backend}. */
    public HeldOutLoss(Backend backend, Dataset data) {
        this(backend, data, data, 0);
    }

    /** Streams {@code data} through {@code backend} in chunks of {@code chunkRows} rows at each {@link #loss}. */
    public HeldOutLoss(Backend backend, RowSource data, int chunkRows) {
        this(backend, data, null, Math.max(1, Math.min(chunkRows, data.n())));
    }

    private HeldOutLoss(Backend backend, RowSource data, Dataset inMemory, int chunk) {
        this.backend = backend;
        this.n = data.n();
        this.d = data.d();
        int rows = inMemory != null ? n : chunk;
        try {
            features = inMemory == null ? null : owned.own(backend.tensor(inMemory.features(), n, d));
            labels = inMemory == null ? null : owned.own(backend.tensor(inMemory.labels(), n, 1));
            chunks = inMemory != null ? null : owned.own(new Chunks(backend, data, chunk, 1));
            w = owned.own(backend.zeros(d, 1));
            b = owned.own(backend.zeros(1, 1));
            yHat = owned.own(backend.zeros(rows, 1));
            lChunk = owned.own(backend.zeros(rows, 1));
            l = inMemory != null ? lChunk : owned.own(backend.zeros(n, 1));
            lossSum = owned.own(backend.zeros(1, 1));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** The number of examples. */
    public int n() {
        return n;
    }

    /**
     * {@code squared_loss(linreg(X, w, b), y).mean()} over the held-out examples.
     *
     * @param w {@code d} weights, as {@link Trainer#w()} reads them
     * @param b the bias
     */
    public double loss(float[] w, float b) {
        if (closed) {
            throw new IllegalStateException("the held-out loss is closed: its device buffers are freed");
        }
        if (w.length != d) {
            throw new IllegalArgumentException(w.length + " weights for data of " + d
                    + " features: there must be one weight per feature");
        }
        backend.write(this.w, w);
        backend.write(this.b, new float[] {b});
        if (chunks == null) {
            linreg(yHat, features, this.w, this.b);
            squaredLoss(l, yHat, labels);
        } else {
            chunks.forEach(null, (set, start, rows) -> {
                linreg(yHat.head(rows), set.x().head(rows), this.w, this.b);
                squaredLoss(lChunk.head(rows), yHat.head(rows), set.y().head(rows));
                backend.copyRows(l, start, lChunk.head(rows));
            });
        }
        sum(lossSum, l);
        return backend.read(lossSum)[0] / (double) n;
    }

    /** Frees the device buffers (not the backend). */
    @Override
    public void close() {
        closed = true;
        owned.close();
    }
}
