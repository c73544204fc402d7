package org.d2lcl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;

/**
 * The state of a run as it was before an epoch (the parameters, and momentum's velocities), kept on
 * the device, so that an epoch whose loss is not finite can be undone bit for bit: {@link #save()}
 * before the epoch, {@link #restore()} after it diverged. Non-finite parameters never become finite
 * again, so a finite loss after the epoch means none of its steps went astray and nothing needs
 * restoring. The epoch kernel also flags, on the device, the first step that made a parameter inf
 * or NaN ({@link #status()}); it is read only when the loss is not finite.
 */
final class Rollback implements AutoCloseable {
    private final Backend backend;
    private final List<Tensor> state;
    private final Resources saved = new Resources();
    private final List<Tensor> copies = new ArrayList<>();
    private final Indices status;
    private int nonFiniteStep;

    /** Keeps copies of the tensors an epoch changes: w, b and, for momentum, the velocities (null ones skipped). */
    Rollback(Tensor... state) {
        this.backend = state[0].backend();
        this.state = Arrays.stream(state).filter(Objects::nonNull).toList();
        try {
            for (Tensor t : this.state) {
                copies.add(saved.own(backend.zeros(t.rows(), t.cols())));
            }
            this.status = saved.own(backend.indices(1));
        } catch (RuntimeException e) {
            saved.close();
            throw e;
        }
    }

    /** The floats a rollback of {@code d} weights keeps, for {@link Capacity}: w, b and the status. */
    static long[] floats(int d) {
        return new long[] {d, 1, 1};
    }

    void save() {
        for (int i = 0; i < state.size(); i++) {
            backend.copy(copies.get(i), state.get(i));
        }
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
        for (int i = 0; i < state.size(); i++) {
            backend.copy(state.get(i), copies.get(i));
        }
    }

    @Override
    public void close() {
        saved.close();
    }
}
