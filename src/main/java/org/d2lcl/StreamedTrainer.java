package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;

import java.util.function.Supplier;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.backend.UseGuard;
import org.d2lcl.data.RowSource;

/**
 * Trains {@code linreg} on data that need not fit the device or the heap: the {@link Trainer}'s
 * run, with the examples streamed from a {@link RowSource} (a memory-mapped {@code .npy} file) in
 * chunks of {@link StreamPlan#chunkRows()} rows. The parameters, their gradients and the velocities
 * stay on the device throughout; each epoch the host gathers the rows of the epoch's permutation
 * chunk by chunk into a staging array and uploads it, and the steps of the chunk's minibatches run
 * on it through the identity order. A chunk holds whole minibatches, so every step sees the rows,
 * in the order, it sees in memory: the parameters are the same bits as the {@link Trainer}'s of
 * the same seed, on every path.
 *
 * <p>The epoch loss is a second pass over the data in its own order, chunk by chunk: {@code linreg}
 * and the per-example losses of each chunk are copied into one vector of n losses on the device,
 * summed by the same {@code reduce.cl} launch as in memory, so on {@link Kernels#UNFUSED} and
 * {@link Kernels#FUSED} the reported loss is the same bits too. On {@link Kernels#EPOCH} the steps
 * are the epoch kernel's (the fused step, bit for bit) and the loss is that sum as well, where the
 * epoch kernel sums in another order: it agrees with the in-memory epoch loss within both sums'
 * rounding bounds, not bit for bit.
 *
 * <p>{@link Chunks} double-buffers the chunks: the host gathers the next chunk, and a second queue
 * uploads it, while the device runs the current one's steps. Host memory: the permutation (4 bytes
 * per example) and two chunks of staging; nothing else grows with n.
 */
public final class StreamedTrainer implements EpochRun {
    private final Backend backend;
    private final RowSource data;
    private final TrainConfig config;
    private final StreamPlan plan;
    private final Resources owned = new Resources();
    private final UseGuard guard = new UseGuard("StreamedTrainer");
    // On the device: the parameters, their gradients, a chunk's y_hat and l, all n losses; the chunks' own.
    private final Tensor w, b, dw, db, yHat, lChunk, l, lossSum;
    private final Chunks chunks;
    private final MinibatchStep step;
    private final Rollback rollback;
    private final int[] order; // the epoch's permutation, as DataIter draws it; null without shuffling
    private boolean closed;
    private int epochsDone;

    /** A new run on {@code data} as {@code plan} chunks it; the data must not change while the run uses it. */
    public StreamedTrainer(Backend backend, RowSource data, TrainConfig config, StreamPlan plan) {
        config.checkFits(data);
        int bs = config.batchSize();
        if (plan.chunkRows() < Math.min(bs, data.n()) || plan.chunkRows() % bs != 0 && plan.chunkRows() < data.n()) {
            throw new ConfigException("a chunk of " + plan.chunkRows() + " rows: a chunk holds whole minibatches of "
                    + bs + " (or all " + data.n() + " rows)");
        }
        this.backend = backend;
        this.data = data;
        this.config = config;
        this.plan = plan;
        int n = data.n(), d = data.d(), c = Math.min(plan.chunkRows(), n);
        order = config.shuffle() ? new int[n] : null;
        try {
            chunks = owned.own(new Chunks(backend, data, c, bs));
            w = owned.own(backend.tensor(config.initialWeights(d), d, 1));
            b = owned.own(backend.zeros(1, 1));
            dw = owned.own(backend.zeros(d, 1));
            db = owned.own(backend.zeros(1, 1));
            yHat = owned.own(backend.zeros(c, 1));
            lChunk = owned.own(backend.zeros(c, 1));
            l = owned.own(backend.zeros(n, 1));
            lossSum = owned.own(backend.zeros(1, 1));
            // The epoch kernel's steps are the fused step's: streamed, they run one minibatch per launch.
            Kernels kernels = config.kernels() == Kernels.EPOCH ? Kernels.FUSED : config.kernels();
            step = owned.own(new MinibatchStep(config.rule(), kernels, w, b));
            rollback = owned.own(new Rollback(step.state()));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /**
     * Runs the next epoch and returns its loss over all n examples afterwards.
     * @throws TrainingDivergedException when that loss is not finite; the parameters are then those before the epoch
     */
    public double epoch() {
        return guarded(() -> {
            int epoch = epochsDone + 1;
            rollback.save();
            int[] perm = config.shuffle() ? Rng.permutation(order, Rng.shuffle(config.seed(), epoch)) : null;
            step.startEpoch();
            chunks.forEach(perm, (set, start, rows) -> {
                for (int s = 0; s < rows; s += config.batchSize()) {
                    chunkStep(set, new Batch(set.iter(), s, Math.min(config.batchSize(), rows - s)),
                            epoch == 1 && start + s == 0);
                }
            });
            double loss = meanLoss();
            if (!Double.isFinite(loss)) {
                rollback.restore();
                throw new TrainingDivergedException(epoch, loss, 0, epochsDone, meanLoss(), config.lr());
            }
            epochsDone = epoch;
            return loss;
        });
    }

    /** One minibatch of the chunk: the chapter's four calls, or the run's {@link MinibatchStep}. */
    private void chunkStep(Chunks.Set set, Batch batch, boolean first) {
        if (!step.isTheChapters()) {
            step.run(batch, set.x(), set.y(), set.iter().indices(), first);
            return;
        }
        Tensor x = batch.x(), y = batch.y(), yHat = this.yHat.head(batch.size());
        linreg(yHat, x, w, b);
        squaredLoss(lChunk.head(batch.size()), yHat, y);
        squaredLossGrad(dw, db, x, yHat, y);
        sgd(new Tensor[] {w, b}, new Tensor[] {dw, db}, config.lr(), config.batchSize());
    }

    /** {@code loss(net(X, w, b), y)} over all n examples, streamed in their own order, as {@link Trainer#loss()} sums it. */
    public double loss() {
        return guarded(this::meanLoss);
    }

    private double meanLoss() {
        chunks.forEach(null, (set, start, rows) -> {
            Tensor yHat = this.yHat.head(rows), lc = lChunk.head(rows);
            linreg(yHat, set.x().head(rows), w, b);
            backend.loss(config.loss().kind(), lc, yHat, set.y().head(rows), config.loss().delta());
            backend.copyRows(l, start, lc);
        });
        backend.sum(lossSum, l);
        return config.reportedLoss(backend.read(lossSum)[0], data.n());
    }

    /** With {@link TrainConfig#batchLosses()}: the last epoch's batch losses, each before its step, summed. */
    public double batchLosses() {
        return guarded(step::runningLoss);
    }

    /** Epochs run so far. */
    public int epochsDone() {
        return epochsDone;
    }

    public TrainConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** How the data is chunked. */
    public StreamPlan plan() {
        return plan;
    }

    /** Reads {@code w} from the device. */
    public float[] w() {
        return guarded(() -> backend.read(w));
    }

    /** Reads {@code b} from the device. */
    public float b() {
        return guarded(() -> backend.read(b)[0]);
    }

    private <T> T guarded(Supplier<T> operation) {
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
