package org.d2lcl;

import org.d2lcl.backend.Tensor;

/**
 * One minibatch of a {@link DataIter} pass: examples {@code order[start .. start + size)} of the
 * epoch's permutation. {@link #x()} and {@link #y()} gather the rows on the device on first use;
 * the fused kernels read through the permutation instead and never gather.
 */
public final class Batch {
    private final DataIter iter;
    private final int start;
    private final int size;
    private boolean gathered;

    Batch(DataIter iter, int start, int size) {
        this.iter = iter;
        this.start = start;
        this.size = size;
    }

    /** Position of the batch's first example in the epoch's permutation. */
    public int start() {
        return start;
    }

    /** Number of examples: the batch size, or fewer for the last batch. */
    public int size() {
        return size;
    }

    /** {@code features[batch_indices]}: a {@code size x d} tensor (valid until the next batch). */
    public Tensor x() {
        gather();
        return iter.xBatch.head(size);
    }

    /** {@code labels[batch_indices]}: a {@code size x 1} tensor (valid until the next batch). */
    public Tensor y() {
        gather();
        return iter.yBatch.head(size);
    }

    private void gather() {
        if (!gathered) {
            iter.gather(this);
            gathered = true;
        }
    }
}
