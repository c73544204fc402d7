package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.sum;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;


/**
 * The chapter's epoch loss, {@code squared_loss(linreg(X, w, b), y).mean()}, on data the trainer
 * does not train on: a held-out split. It runs the same kernels, in the same order and on the same
 * shapes as {@link Trainer#loss()}, so on the training data it gives the very same number.
 *
 * <p>The data goes to the device once. Each {@link #loss(float[], float)} uploads the {@code d + 1}
 * parameters, enqueues {@code linreg}, {@code squared_loss} and {@code sum}, and reads one float:
 * called after an epoch, it adds no synchronisation the epoch loss did not already make.
 */
public final class HeldOutLoss implements AutoCloseable {
    private boolean closed;
    private final Backend backend;
    private final int n;
    private final int d;
    private final Tensor features;
    private final Tensor labels;
    private final Tensor w;
    private final Tensor b;
    private final Tensor yHat;
    private final Tensor l;
    private final Tensor lossSum;

    /** Uploads {@code data} to {@code backend}. */
    public HeldOutLoss(Backend backend, Dataset data) {
        this.backend = backend;
        this.n = data.n();
        this.d = data.d();
        Tensor[] made = new Tensor[7];
        int k = 0;
        try {
            made[k++] = backend.tensor(data.features(), n, d);
            made[k++] = backend.tensor(data.labels(), n, 1);
            made[k++] = backend.zeros(d, 1);
            made[k++] = backend.zeros(1, 1);
            made[k++] = backend.zeros(n, 1);
            made[k++] = backend.zeros(n, 1);
            made[k++] = backend.zeros(1, 1);
        } catch (RuntimeException e) {
            while (k > 0) {
                made[--k].close();
            }
            throw e;
        }
        features = made[0];
        labels = made[1];
        w = made[2];
        b = made[3];
        yHat = made[4];
        l = made[5];
        lossSum = made[6];
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
        linreg(yHat, features, this.w, this.b);
        squaredLoss(l, yHat, labels);
        sum(lossSum, l);
        return backend.read(lossSum)[0] / (double) n;
    }

    /** Frees the device buffers (not the backend). */
    @Override
    public void close() {
        closed = true;
        for (Tensor t : new Tensor[] {lossSum, l, yHat, b, w, labels, features}) {
            t.close();
        }
    }
}
