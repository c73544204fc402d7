package org.d2lcl;

import org.d2lcl.backend.Backend;

/**
 * A run of the chapter's loop, epoch by epoch, whatever holds its data: a {@link Trainer} (the data
 * on the device) or a {@link StreamedTrainer} (the data streamed from a file in chunks).
 * {@link LinearRegression} trains through this.
 */
public interface EpochRun extends AutoCloseable {
    /** Runs the next epoch and returns its loss over all n examples afterwards. */
    double epoch();

    /** The loss over all n examples with the current parameters. */
    double loss();

    /** With {@link TrainConfig#batchLosses()}: the last epoch's batch losses, each before its step, summed. */
    double batchLosses();

    int epochsDone();

    TrainConfig config();

    Backend backend();

    float[] w();

    float b();

    @Override
    void close();
}
