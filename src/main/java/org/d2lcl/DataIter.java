package org.d2lcl;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.ShapeException;
import org.d2lcl.backend.Tensor;

/**
 * d2l's {@code data_iter}: each {@link #shuffle(Random)} draws a permutation of the examples,
 * uploads it once as an index buffer, and yields minibatches of {@code batchSize} examples in that
 * order, the last one smaller when {@code batchSize} does not divide {@code n}. Rows are gathered
 * on the device through the permutation; X never crosses from the host again.
 */
public final class DataIter implements AutoCloseable {
    private final int batchSize;
    private final Tensor features;
    private final Tensor labels;
    private final int[] order;
    final Indices indices;
    final Tensor xBatch;
    final Tensor yBatch;

    /**
     * @param features {@code n x d}, on the device
     * @param labels {@code n x 1}, on the same device
     */
    public DataIter(int batchSize, Tensor features, Tensor labels) {
        int n = features.rows();
        if (labels.rows() != n || labels.cols() != 1) {
            throw new ShapeException("labels " + labels.shape() + " for features " + features.shape()
                    + ": there must be one label per example (" + n + "x1)");
        }
        if (batchSize < 1 || batchSize > n) {
            throw new ConfigException("batch size " + batchSize + ": it must be between 1 and n = " + n);
        }
        Backend backend = features.backend();
        this.batchSize = batchSize;
        this.features = features;
        this.labels = labels;
        this.order = new int[n];
        this.indices = backend.indices(n);
        this.xBatch = backend.zeros(batchSize, features.cols());
        this.yBatch = backend.zeros(batchSize, 1);
    }

    /** The permutation of the current pass, as uploaded to the device. */
    public Indices indices() {
        return indices;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of minibatches in one pass: {@code ceil(n / batchSize)}. */
    public int batches() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /**
     * {@code random.shuffle(indices)} then the batches in that order. The permutation is a
     * Fisher–Yates shuffle of {@code 0..n-1} driven by {@code rng}, the same on every backend.
     */
    public Iterable<Batch> shuffle(Random rng) {
        Rng.permutation(order, rng);
        return pass();
    }

    /** The batches of a run's epoch: {@code Rng.shuffle(seed, epoch)}'s order, or the data's own. */
    Iterable<Batch> order(TrainConfig config, int epoch) {
        return config.shuffle() ? shuffle(Rng.shuffle(config.seed(), epoch)) : inOrder();
    }

    /** The batches in the data's own order, {@code DataLoader(..., shuffle=False)}. */
    public Iterable<Batch> inOrder() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return pass();
    }

    /** Uploads the pass's order and yields its batches. */
    private Iterable<Batch> pass() {
        int n = order.length;
        features.backend().write(indices, order);
        return () -> new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (start >= n) {
                    throw new NoSuchElementException();
                }
                Batch batch = new Batch(DataIter.this, start, Math.min(batchSize, n - start));
                start += batchSize;
                return batch;
            }
        };
    }

    void gather(Batch batch) {
        features.backend().gather(xBatch.head(batch.size()), yBatch.head(batch.size()), features, labels, indices,
                batch.start());
    }

    @Override
    public void close() {
        yBatch.close();
        xBatch.close();
        indices.close();
    }
}
