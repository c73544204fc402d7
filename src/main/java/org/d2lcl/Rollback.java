package org.d2lcl;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;

/**
 * The parameters as they were before an epoch, kept on the device, so that an epoch whose loss is
 * not finite can be undone bit for bit: {@link #save()} before the epoch, {@link #restore()} after
 * it diverged. Non-finite parameters never become finite again, so a finite loss after the epoch
 * means none of its steps went astray and nothing needs restoring. The epoch kernel also flags, on
 * the device, the first step that made a parameter inf or NaN ({@link #status()}); it is read only
 * when the loss is not finite.
 */
final class Rollback implements AutoCloseable {
    private final Backend backend;
    private final Tensor w;
    private final Tensor b;
    private final Tensor wSaved;
    private final Tensor bSaved;
    private final Indices status;
    private int nonFiniteStep;

    Rollback(Tensor w, Tensor b) {
        this.backend = w.backend();
        this.w = w;
        this.b = b;
        this.wSaved = backend.zeros(w.rows(), 1);
        Tensor bMade = null;
        try {
            this.bSaved = bMade = backend.zeros(1, 1);
            this.status = backend.indices(1);
        } catch (RuntimeException e) {
            wSaved.close();
            if (bMade != null) {
                bMade.close();
            }
            throw e;
        }
    }

    /** The tensors a rollback of {@code d} weights keeps, for {@link Capacity}: w, b and the status. */
    static long[] floats(int d) {
        return new long[] {d, 1, 1};
    }

    void save() {
        backend.copy(wSaved, w);
        backend.copy(bSaved, b);
        nonFiniteStep = 0;
    }

    /** The epoch kernel's flag: 0, or 1 + the index of the first step after which w or b was not finite. */
    Indices status() {
        return status;
    }

    /** After the epoch kernel: reads its flag when {@code loss} is not finite (only then is it set). */
    void readStatus(double loss) {
        nonFiniteStep = Double.isFinite(loss) ? 0 : backend.read(status)[0];
    }

    /** The flag as last read: 0 when no step of the last epoch is known to have gone astray. */
    int nonFiniteStep() {
        return nonFiniteStep;
    }

    void restore() {
        backend.copy(w, wSaved);
        backend.copy(b, bSaved);
    }

    @Override
    public void close() {
        status.close();
        bSaved.close();
        wSaved.close();
    }
}
