package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;
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
 * <p>The epoch loss is a second pass over the data in its own order, chunk by chunk. On
 * {@link Kernels#UNFUSED} and {@link Kernels#FUSED}, {@code linreg} and the per-example losses of
 * each chunk are copied into one vector of n losses on the device, summed by the same
 * {@code reduce.cl} launch as in memory. On {@link Kernels#EPOCH} each chunk's steps are one launch
 * of the epoch kernel's steps ({@link Backend#linregEpochSteps}), and the loss is the epoch kernel's
 * sum carried from chunk to chunk ({@link Backend#linregEpochLoss}). Either way the reported loss
 * is the in-memory run's bits too.
 *
 * <p>{@link Chunks} double-buffers the chunks: the host gathers the next chunk, and a second queue
 * uploads it, while the device runs the current one's steps. Host memory: the permutation (4 bytes
 * per example) and two chunks of staging; nothing else grows with n.
 */
public final class StreamedTrainer extends DeviceRun {
    private final RowSource data;
    private final StreamPlan plan;
    // On the device: the parameters, their gradients, a chunk's y_hat and l, all n losses; the chunks' own.
    private final Tensor w, b, dw, db, yHat, lChunk, l, lossSum;
    private final Indices lossState; // the epoch kernel's loss from chunk to chunk; null on other paths
    private final Chunks chunks;
    private final MinibatchStep step;
    private final Rollback rollback;
    private final int[] order; // the epoch's permutation, as DataIter draws it; null without shuffling

    /** A new run on {@code data} as {@code plan} chunks it; the data must not change while the run uses it. */
    public StreamedTrainer(Backend backend, RowSource data, TrainConfig config, StreamPlan plan) {
        super(backend, config, "StreamedTrainer", 0, Double.NaN);
        config.checkFits(data);
        int bs = config.batchSize();
        if (plan.chunkRows() < Math.min(bs, data.n()) || plan.chunkRows() % bs != 0 && plan.chunkRows() < data.n()) {
            throw new ConfigException("a chunk of " + plan.chunkRows() + " rows: a chunk holds whole minibatches of "
                    + bs + " (or all " + data.n() + " rows)");
        }
        this.data = data;
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
            lossState = config.kernels() == Kernels.EPOCH ? owned.own(backend.epochLossState(n, d, config.rule())) : null;
            step = owned.own(new MinibatchStep(config.rule(), config.kernels(), w, b));
            rollback = owned.own(new Rollback(step.state()));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** An epoch ({@link #epoch()}, which undoes it when it diverged): the chunks' steps, then the loss's pass. */
    @Override
    double runEpoch(int epoch) {
        int[] perm = config.shuffle() ? Rng.permutation(order, Rng.shuffle(config.seed(), epoch)) : null;
        if (config.kernels() == Kernels.EPOCH) {
            return epochKernel(epoch, perm);
        }
        step.startEpoch();
        chunks.forEach(perm, (set, start, rows) -> {
            for (int s = 0; s < rows; s += config.batchSize()) {
                chunkStep(set, new Batch(set.iter(), s, Math.min(config.batchSize(), rows - s)),
                        epoch == 1 && start + s == 0);
            }
        });
        return meanLoss();
    }

    /**
     * The epoch kernel in two passes: each chunk's steps in one launch, then its loss over the chunks
     * of the rows in their own order; one read, of the loss (and, when it is not finite, the step).
     */
    private double epochKernel(int epoch, int[] perm) {
        int n = data.n();
        chunks.forEach(perm, (set, start, rows) -> backend.linregEpochSteps(w, b, step.v(), step.running(),
                rollback.status(), set.x(), set.y(), set.iter().indices(), rows, config.rule(), epoch == 1 && start == 0,
                start / config.batchSize()));
        chunks.forEach(null, (set, start, rows) -> backend.linregEpochLoss(lossSum, lossState, w, b, set.x().head(rows),
                set.y().head(rows), config.rule(), start, n));
        double loss = config.reportedLoss(backend.read(lossSum)[0], n);
        rollback.readStatus(loss);
        return loss;
    }

    @Override
    Rollback rollback() {
        return rollback;
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
    @Override
    double meanLoss() {
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
}
