package org.d2lcl;

/**
 * The hyper-parameters of a run. {@link #DEFAULT} is the chapter's: batch 10, lr 0.03, 3 epochs.
 *
 * @param batchSize examples per minibatch, 1..n
 * @param lr the learning rate, finite and > 0
 * @param epochs passes over the data, >= 0
 * @param seed drives the initial parameters and every epoch's shuffle (see {@link Rng})
 */
public record TrainConfig(int batchSize, float lr, int epochs, long seed) {
    public static final TrainConfig DEFAULT = new TrainConfig(10, 0.03f, 3, 42);

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
    }

    public TrainConfig withBatchSize(int batchSize) {
        return new TrainConfig(batchSize, lr, epochs, seed);
    }

    public TrainConfig withLr(float lr) {
        return new TrainConfig(batchSize, lr, epochs, seed);
    }

    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(batchSize, lr, epochs, seed);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(batchSize, lr, epochs, seed);
    }

    /** Checks what depends on the data: {@code batchSize <= n}. */
    void checkFits(Dataset data) {
        if (batchSize > data.n()) {
            throw new ConfigException("batch size " + batchSize + ": it must be between 1 and the number of examples, "
                    + data.n());
        }
    }
}
