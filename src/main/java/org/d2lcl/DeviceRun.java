package org.d2lcl;

import java.util.function.Supplier;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.UseGuard;

/**
 * What a run on one backend shares, in memory ({@link Trainer}) or streamed ({@link StreamedTrainer}):
 * the backend and the hyper-parameters, the device objects it owns, and the guard that lets one
 * thread at a time in (an overlapping call throws {@code ConcurrentUseException}).
 */
abstract class DeviceRun implements EpochRun {
    final Backend backend;
    final TrainConfig config;
    final Resources owned = new Resources();
    private final UseGuard guard;
    private boolean closed;
    private int epochsDone;
    double lastLoss; // after the last epoch, for Checkpoint; NaN until one ran or a checkpoint gave it

    DeviceRun(Backend backend, TrainConfig config, String name, int epochsDone, double lastLoss) {
        this.backend = backend;
        this.config = config;
        this.guard = new UseGuard(name);
        this.epochsDone = epochsDone;
        this.lastLoss = lastLoss;
    }

    /**
     * Runs the next epoch and returns its loss over all n examples afterwards ({@link #loss()}).
     * @throws TrainingDivergedException when that loss is not finite; the parameters are then those before the epoch
     */
    @Override
    public final double epoch() {
        return guarded(() -> {
            int epoch = epochsDone + 1;
            Rollback rollback = rollback();
            rollback.save();
            double loss = runEpoch(epoch);
            if (!Double.isFinite(loss)) {
                rollback.restore();
                throw new TrainingDivergedException(epoch, loss, rollback.nonFiniteStep(), epochsDone, meanLoss(), config.lr());
            }
            epochsDone = epoch;
            lastLoss = loss;
            return loss;
        });
    }

    /** Epoch {@code epoch}'s steps, then its loss. */
    abstract double runEpoch(int epoch);

    /** The loss over all n examples with the current parameters ({@link TrainConfig#reportedLoss}). */
    abstract double meanLoss();

    /** What undoes a diverged epoch. */
    abstract Rollback rollback();

    @Override
    public final double loss() {
        return guarded(this::meanLoss);
    }

    /** Epochs run so far (a resumed run counts the checkpoint's). */
    @Override
    public final int epochsDone() {
        return epochsDone;
    }

    @Override
    public TrainConfig config() {
        return config;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** {@code operation} inside the thread guard; after {@link #close()} it throws instead. */
    <T> T guarded(Supplier<T> operation) {
        return guard.call(() -> closed, operation);
    }

    /** Frees every device object the run made (not the backend, which the caller owns). */
    @Override
    public void close() {
        guard.call(() -> false, () -> {
            closed = true;
            owned.close();
            return null;
        });
    }
}
