package org.d2lcl.nn;

import java.util.Iterator;
import org.d2lcl.Batch;
import org.d2lcl.DataIter;
import org.d2lcl.Rng;
import org.d2lcl.backend.Tensor;

/**
 * PyTorch's {@code data.DataLoader(data.TensorDataset(features, labels), batchSize, shuffle)} over
 * tensors on the device: each pass (each {@code for} loop over it) is one epoch of minibatches of
 * {@code batchSize} examples, the last one smaller when {@code batchSize} does not divide n. With
 * {@code shuffle}, epoch {@code e} (1-based) is in the order {@link Rng#shuffle}{@code (seed, e)}
 * draws, the same on every backend and the same as {@link DataIter}'s in the chapter's loop;
 * without, the examples come in the data's own order. Rows are gathered on the device ({@link DataIter}).
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private final DataIter iter;
    private final boolean shuffle;
    private final long seed;
    private int epoch;

    /**
     * @param features {@code n x d}, on the device
     * @param labels {@code n x 1}, on the same device
     * @param batchSize between 1 and n
     * @param shuffle a fresh order each epoch, or the data's own order
     * @param seed the seed of the shuffles (unused without shuffle)
     */
    public DataLoader(Tensor features, Tensor labels, int batchSize, boolean shuffle, long seed) {
        this.iter = new DataIter(batchSize, features, labels);
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** The batch size. */
    public int batchSize() {
        return iter.batchSize();
    }

    /** Whether each epoch is shuffled. */
    public boolean shuffle() {
        return shuffle;
    }

    /** The number of passes begun so far: the epoch of the last {@link #iterator()}, 1-based. */
    public int epoch() {
        return epoch;
    }

    /** The next epoch's minibatches; its order is uploaded to the device now. */
    @Override
    public Iterator<Batch> iterator() {
        epoch++;
        return (shuffle ? iter.shuffle(Rng.shuffle(seed, epoch)) : iter.inOrder()).iterator();
    }

    /** Frees the index vector and the batch buffers (closing the device frees them too). */
    @Override
    public void close() {
        iter.close();
    }
}
