package org.d2lcl;

import org.d2lcl.data.Dataset;
import org.d2lcl.data.RowSource;

/**
 * The chapter's model, trained on a {@link Device}: {@code linreg} fitted by minibatch SGD on the
 * squared loss, with {@code w ~ N(0, 0.01)} and {@code b = 0} to start.
 *
 * <pre>{@code
 * Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
 * try (Device dev = Device.best(); LinearRegression net = LinearRegression.on(dev, data)) {
 *     for (int epoch = 1; epoch <= 3; epoch++) {
 *         System.out.printf("epoch %d, loss %f%n", epoch, net.epoch());
 *     }
 *     LinearModel model = net.model();
 * }
 * }</pre>
 *
 * <p>Each {@link #epoch()} is {@link Trainer#epoch()}: the chapter's loop over shuffled minibatches,
 * one kernel per function, with the data, parameters and gradients on the device throughout; the
 * only reads are the loss it returns and, when asked, the parameters. One thread at a time.
 */
public final class LinearRegression implements AutoCloseable {
    private final EpochRun trainer;
    private HeldOutLoss heldOut;
    private RowSource heldOutData;
    private boolean closed;

    private LinearRegression(EpochRun trainer) {
        this.trainer = trainer;
    }

    /** Ready to train on {@code data} with the chapter's hyper-parameters, {@link TrainConfig#DEFAULT}. */
    public static LinearRegression on(Device device, Dataset data) {
        return on(device, data, TrainConfig.DEFAULT);
    }

    /**
     * Ready to train on {@code data}: uploads it and the initial parameters to {@code device}.
     *
     * @throws ConfigException when the batch size exceeds the number of examples
     */
    public static LinearRegression on(Device device, Dataset data, TrainConfig config) {
        return new LinearRegression(new Trainer(device.backend(), data, config));
    }

    /**
     * Ready to train on {@code data} streamed from the host in chunks ({@link StreamedTrainer}), for
     * data that does not fit the device or the heap: the same bits as {@link #on}.
     */
    public static LinearRegression streamed(Device device, RowSource data, TrainConfig config, StreamPlan plan) {
        return new LinearRegression(new StreamedTrainer(device.backend(), data, config, plan));
    }

    /**
     * Ready to continue the run {@code checkpoint} was taken from ({@link Checkpoint#resume}): the
     * next {@link #epoch()} is epoch {@code checkpoint.epoch() + 1}.
     *
     * @throws CheckpointException when the seed or the data differ from the checkpoint's
     */
    public static LinearRegression resume(Device device, Dataset data, TrainConfig config, Checkpoint checkpoint) {
        return new LinearRegression(checkpoint.resume(device.backend(), data, config));
    }

    /**
     * The run after {@link #epochsDone()} epochs, to {@link Checkpoint#write} and later {@link #resume}.
     *
     * @throws ConfigException for a {@link #streamed} run, which is not checkpointed
     */
    public Checkpoint checkpoint() {
        checkOpen();
        if (!(trainer instanceof Trainer inMemory)) {
            throw new ConfigException("a streamed run is not checkpointed");
        }
        return Checkpoint.of(inMemory);
    }

    /** Runs the next epoch and returns its loss: the mean squared loss over the training data afterwards. */
    public double epoch() {
        checkOpen();
        return trainer.epoch();
    }

    /**
     * Runs the epochs left until {@code config().epochs()} and returns the loss after each.
     */
    public double[] fit() {
        checkOpen();
        int left = Math.max(0, trainer.config().epochs() - trainer.epochsDone());
        double[] losses = new double[left];
        for (int e = 0; e < left; e++) {
            losses[e] = trainer.epoch();
        }
        return losses;
    }

    /**
     * With {@link TrainConfig#batchLosses()}: the last epoch's minibatch losses, each before its step,
     * summed ({@link Trainer#batchLosses()}).
     */
    public double batchLosses() {
        return trainer.batchLosses();
    }

    /** The mean squared loss over the training data with the current parameters. */
    public double loss() {
        checkOpen();
        return trainer.loss();
    }

    /**
     * The mean squared loss over {@code data} (a held-out set) with the current parameters, on the
     * device. A {@link Dataset} is uploaded on the first call and kept while the same one is passed;
     * other rows (a file's, streamed) pass through the device in chunks at each call, with the same bits.
     */
    public double loss(Dataset data) {
        return loss((RowSource) data);
    }

    /** {@link #loss(Dataset)} on any rows: a {@link Dataset}, or a file's streamed in chunks. */
    public double loss(RowSource data) {
        checkOpen();
        if (data != heldOutData) {
            if (heldOut != null) {
                heldOut.close();
                heldOut = null;
                heldOutData = null;
            }
            heldOut = data instanceof Dataset inMemory ? new HeldOutLoss(trainer.backend(), inMemory)
                    : new HeldOutLoss(trainer.backend(), data, HELD_OUT_CHUNK_ROWS);
            heldOutData = data;
        }
        return heldOut.loss(trainer.w(), trainer.b());
    }

    /** Rows a held-out set streamed from a file passes to the device at a time. */
    private static final int HELD_OUT_CHUNK_ROWS = 1 << 16;

    /** Epochs run so far. */
    public int epochsDone() {
        return trainer.epochsDone();
    }

    /** The hyper-parameters. */
    public TrainConfig config() {
        return trainer.config();
    }

    /** The weights, read from the device. */
    public float[] w() {
        checkOpen();
        return trainer.w();
    }

    /** The bias, read from the device. */
    public float b() {
        checkOpen();
        return trainer.b();
    }

    /** The current parameters as a model on the host, for {@link LinearModel#predict} and saving. */
    public LinearModel model() {
        checkOpen();
        return LinearModel.of(trainer.w(), trainer.b());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the LinearRegression is closed: its device buffers are freed");
        }
    }

    /** Frees the device buffers of the data, the parameters and the held-out set (not the device). */
    @Override
    public void close() {
        closed = true;
        try {
            if (heldOut != null) {
                heldOut.close();
            }
        } finally {
            trainer.close();
        }
    }
}
