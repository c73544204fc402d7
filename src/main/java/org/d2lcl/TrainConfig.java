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
 * @param init how {@code w} starts: the chapter's {@code normal(0, 0.01)}, or zeros (an exercise of
 *     the chapter: does it still work?); {@code b} starts at 0 either way
 * @param shuffle whether each epoch visits the examples in a fresh random order (the chapter's
 *     {@code data_iter}) or in the data's own order (an exercise: why reshuffle?)
 * @param loss the loss trained and reported: the chapter's squared loss summed over each batch (its
 *     epoch line prints the mean), or another ({@link LossFunction})
 * @param optimizer the update: the chapter's {@code sgd}, or another ({@link Optimizer})
 * @param batchLosses whether each epoch also sums its minibatch losses, each taken before its step
 *     ({@link Trainer#batchLosses()}: the epoch loss the L1 write-up prints)
 */
public record TrainConfig(int batchSize, float lr, int epochs, long seed, Kernels kernels, Init init,
        boolean shuffle, LossFunction loss, Optimizer optimizer, boolean batchLosses) {
    /** d2l's {@code squared_loss}, summed over each minibatch ({@code l.sum().backward()}). */
    public static final LossFunction CHAPTER_LOSS = LossFunction.squaredLoss(LossFunction.Reduction.SUM);
    public static final TrainConfig DEFAULT = new TrainConfig(10, 0.03f, 3, 42);

    /** How the weights start. */
    public enum Init {
        /** {@code w = torch.normal(0, 0.01, size=(d, 1))}, from the seed ({@link D2l#initialWeights}). */
        NORMAL,
        /** {@code w = torch.zeros(d, 1)}. */
        ZEROS
    }

    /** The hyper-parameters with the default kernels. */
    public TrainConfig(int batchSize, float lr, int epochs, long seed) {
        this(batchSize, lr, epochs, seed, Kernels.DEFAULT);
    }

    /** The hyper-parameters on the given kernels, with the chapter's initialisation, shuffle, loss and sgd. */
    public TrainConfig(int batchSize, float lr, int epochs, long seed, Kernels kernels) {
        this(batchSize, lr, epochs, seed, kernels, Init.NORMAL, true, CHAPTER_LOSS, Optimizer.sgd(), false);
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
        if (init == null) {
            throw new ConfigException("init: null; choose normal or zeros");
        }
        if (loss == null || optimizer == null) {
            throw new ConfigException("loss " + loss + ", optimizer " + optimizer + ": a run needs both");
        }
    }

    public TrainConfig withBatchSize(int batchSize) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withLr(float lr) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withSeed(long seed) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withKernels(Kernels kernels) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withInit(Init init) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withShuffle(boolean shuffle) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withLoss(LossFunction loss) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withOptimizer(Optimizer optimizer) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    public TrainConfig withBatchLosses(boolean batchLosses) {
        return new TrainConfig(batchSize, lr, epochs, seed, kernels, init, shuffle, loss, optimizer, batchLosses);
    }

    /** What each minibatch step does: the loss, the optimizer, lr, the batch size and the running loss. */
    public StepRule rule() {
        return new StepRule(loss, optimizer, lr, batchSize, batchLosses);
    }

    /**
     * The epoch line's loss from the sum of the per-example losses over n examples: the mean for the
     * chapter's squared loss (its {@code l.mean()}) and for a mean reduction, the sum for a sum
     * reduction of the other losses ({@code nn.MSELoss(reduction='sum')} prints n times the mean).
     */
    public double reportedLoss(double sum, long n) {
        return loss.kind() == Loss.SQUARED ? sum / n : loss.reduce(sum, n);
    }

    /** The initial weights of a run on {@code d} features. */
    float[] initialWeights(int d) {
        return init == Init.ZEROS ? new float[d] : D2l.initialWeights(d, seed);
    }

    /** Checks what depends on the data: {@code batchSize <= n}. */
    void checkFits(org.d2lcl.data.RowSource data) {
        if (batchSize > data.n()) {
            throw new ConfigException("batch size " + batchSize + ": it must be between 1 and the number of examples, "
                    + data.n());
        }
    }
}
