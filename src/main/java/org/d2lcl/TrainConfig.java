package org.d2lcl;

import org.d2lcl.data.Dataset;

/**
 * The hyper-parameters of a run. {@link #DEFAULT} is the chapter's: batch 10, lr 0.03, 3 epochs.
 *
 * @param batchSize examples per minibatch, 1..n
 * @param lr the learning rate, finite and > 0
 * @param epochs passes over the data, >= 0
 * @param seed drives the initial parameters and every epoch's shuffle (see {@link Rng})
 * @param kernels which kernels run an epoch ({@link Kernels#DEFAULT} unless given)
 */
public record TrainConfig(int batchSize, float lr, int epochs, long seed, Kernels kernels) {
    public static final TrainConfig DEFAULT = new TrainConfig(10, 0.03f, 3, 42);

    /** The hyper-parameters with the default kernels. */
    public TrainConfig(int batchSize, float lr, int epochs, long seed) {
        this(batchSize, lr, epochs, seed, Kernels.DEFAULT);
    }

    public TrainConfig {
        if (batchSize < 1) {
            throw new ConfigException("batch size " + batchSize + ": it must be >= 1");
        }
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new ConfigException("learning rate " + lr + ": it must be a finite number > 0");
        }
        if (epochs < 0) {
            throw new ConfigException("epochs " + epochs + ": it must be >= 0");
        }
        if (kernels == null) {
            throw new ConfigException("kernels: null; choose one of unfused, fused, epoch");
        }
    }

    public TrainConfig withBatchSize(int batchSize) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels);
    }

    public TrainConfig withLr(float lr) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels);
    }

    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels);
    }

    public TrainConfig withKernels(Kernels kernels) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels);
    }

    /** Checks what depends on the data: {@code batchSize <= n}. */
    void checkFits(Dataset data) {
        if (batchSize > data.n()) {
            throw new ConfigException("batch size " + batchSize + ": it must be between 1 and the number of examples, "
                    + data.n());
        }
    }
}
