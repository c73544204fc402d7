package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;
import static org.d2lcl.D2l.sum;

import java.util.ArrayDeque;
import java.util.Deque;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.ConcurrentUseException;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;
import org.d2lcl.backend.UseGuard;

/**
 * Trains {@code linreg} on one backend, the chapter's loop one epoch per {@link #epoch()} call.
 *
 * <p>The data, the parameters {@code w ~ N(0, 0.01)}, {@code b = 0} and their gradients are
 * created on the device once and stay there. Within an epoch nothing crosses to the host but the
 * epoch's permutation going in; the only reads are the epoch loss and, when asked, the parameters.
 * {@link TrainConfig#kernels()} chooses how an epoch runs ({@link Kernels}): the chapter's loop
 * below, the same loop with each minibatch one fused kernel, or the whole epoch one kernel.
 *
 * <p>An epoch whose loss is not finite throws {@link TrainingDivergedException} and leaves the
 * trainer holding the parameters of the last finite epoch (a device-side copy taken at the start of
 * each epoch). {@link #checkpoint()} and {@link #resume} continue a run exactly.
 *
 * <p>A trainer is used by one thread at a time; a call that overlaps another thread's throws
 * {@link ConcurrentUseException}. Threads that train at once each need their own trainer and backend.
 */
public final class Trainer implements AutoCloseable {
    private boolean closed;
    private final Backend backend;
    private final TrainConfig config;
    private final Dataset data;
    private final int n;
    private final int d;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final UseGuard guard = new UseGuard("Trainer");

    private final Tensor features;
    private final Tensor labels;
    private final Tensor w;
    private final Tensor b;
    private final Tensor wLast;
    private final Tensor bLast;
    private final Tensor dw;
    private final Tensor db;
    private final Tensor yHat;
    private final Tensor l;
    private final Tensor yHatAll;
    private final Tensor lAll;
    private final Tensor lossSum;
    private final Indices status;
    private final DataIter dataIter;
    private int epochsDone;
    private int nonFiniteStep;
    private double lastLoss;
    private String fingerprint;

    /**
     * A new run on {@code data}: {@code w ~ N(0, 0.01)} from the seed, {@code b = 0}. The data
     * must not change while the trainer uses it (a checkpoint fingerprints it).
     *
     * @throws ConfigException when the batch size exceeds the number of examples
     * @throws org.d2lcl.opencl.DeviceLimitException when the tensors do not fit the device, before any is made
     */
    public Trainer(Backend backend, Dataset data, TrainConfig config) {
        this(backend, data, config, 0, initialWeights(data.d(), config.seed()), 0f, Double.NaN, null);
    }

    /**
     * Continues the run {@code checkpoint} was taken from: its parameters, after its epoch, so that
     * the next {@link #epoch()} is epoch {@code checkpoint.epoch() + 1} with that epoch's shuffle.
     * With the checkpoint's batch size and learning rate the result is bit for bit that of a run
     * that never stopped; others may be given.
     *
     * @throws CheckpointException when the seed or the data differ from the checkpoint's
     */
    public static Trainer resume(Backend backend, Dataset data, TrainConfig config, Checkpoint checkpoint) {
        String fingerprint = checkpoint.checkMatches(data, config);
        return new Trainer(backend, data, config, checkpoint.epoch(), checkpoint.w(), checkpoint.b(),
                checkpoint.loss(), fingerprint);
    }

    private Trainer(Backend backend, Dataset data, TrainConfig config, int epochsDone, float[] w0, float b0,
            double loss, String fingerprint) {
        config.checkFits(data);
        this.backend = backend;
        this.config = config;
        this.data = data;
        this.n = data.n();
        this.d = data.d();
        this.epochsDone = epochsDone;
        this.lastLoss = loss;
        this.fingerprint = fingerprint;
        checkCapacity(backend, n, d, config.batchSize());
        try {
            features = own(backend.tensor(data.features(), n, d));
            labels = own(backend.tensor(data.labels(), n, 1));
            w = own(backend.tensor(w0, d, 1));
            b = own(backend.tensor(new float[] {b0}, 1, 1));
            wLast = own(backend.zeros(d, 1));
            bLast = own(backend.zeros(1, 1));
            dw = own(backend.zeros(d, 1));
            db = own(backend.zeros(1, 1));
            yHat = own(backend.zeros(config.batchSize(), 1));
            l = own(backend.zeros(config.batchSize(), 1));
            yHatAll = own(backend.zeros(n, 1));
            lAll = own(backend.zeros(n, 1));
            lossSum = own(backend.zeros(1, 1));
            status = own(backend.indices(1));
            dataIter = own(new DataIter(config.batchSize(), features, labels));
        } catch (RuntimeException e) {
            closeOwned();
            throw e;
        }
    }

    /**
     * Checks, before anything is allocated, that a trainer on {@code n x d} data fits
     * {@code backend}: each of its tensors within the largest allocation, all within the device memory.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException naming the size, the limit and the device
     */
    public static void checkCapacity(Backend backend, int n, int d, int batchSize) {
        long nd = (long) n * d;
        long bs = batchSize;
        backend.checkCapacity(
                nd, n,                 // features, labels
                d, 1, d, 1, d, 1,      // w, b, wLast, bLast, dw, db
                bs, bs, n, n, 1,       // yHat, l, yHatAll, lAll, lossSum
                n, bs * d, bs);        // the DataIter's permutation and minibatch
    }

    /** {@code w = torch.normal(0, 0.01, size=(d, 1))}, drawn from {@link Rng#init(long)}. */
    static float[] initialWeights(int d, long seed) {
        java.util.Random rng = Rng.init(seed);
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) (0.01 * rng.nextGaussian());
        }
        return w;
    }

    /**
     * Runs the next epoch and returns its loss: the mean squared loss over all n examples afterwards.
     *
     * @throws TrainingDivergedException when that loss is infinite or NaN; the trainer then holds
     *     the parameters from before the epoch, and {@link #epochsDone()} is unchanged
     */
    public double epoch() {
        enter();
        try {
            int epoch = epochsDone + 1;
            backend.copy(wLast, w);
            backend.copy(bLast, b);
            double loss = train(epoch);
            if (!Double.isFinite(loss)) {
                // Non-finite parameters never become finite again, so a finite loss means none
                // of the epoch's steps went astray: checking once per epoch catches every divergence.
                backend.copy(w, wLast);
                backend.copy(b, bLast);
                throw new TrainingDivergedException(epoch, loss, nonFiniteStep, epochsDone, loss(), config.lr());
            }
            epochsDone = epoch;
            lastLoss = loss;
            return loss;
        } finally {
            guard.exit();
        }
    }

    /** Epoch {@code epoch} on the configured kernels; returns the loss afterwards. */
    private double train(int epoch) {
        nonFiniteStep = 0;
        Iterable<Batch> batches = dataIter.shuffle(Rng.shuffle(config.seed(), epoch));
        if (config.kernels() == Kernels.EPOCH) {
            return epochKernel(); // the loop below and loss(), in one launch
        }
        for (Batch batch : batches) {
            step(batch);
        }
        return loss();
    }

    /** One minibatch: the chapter's four functions, one kernel each, or the same in one fused kernel. */
    private void step(Batch batch) {
        if (config.kernels() == Kernels.FUSED) {
            backend.linregStep(w, b, features, labels, dataIter.indices(), batch.start(), batch.size(), config.lr(),
                    config.batchSize());
            return;
        }
        Tensor[] params = {w, b};
        Tensor[] grads = {dw, db};
        Tensor x = batch.x();
        Tensor y = batch.y();
        Tensor yHat = this.yHat.head(batch.size());
        linreg(yHat, x, w, b);                      // net(X, w, b)
        squaredLoss(l.head(batch.size()), yHat, y); // l = loss(net(X, w, b), y)
        squaredLossGrad(dw, db, x, yHat, y);        // l.sum().backward()
        sgd(params, grads, config.lr(), config.batchSize());
    }

    /** Every step of the epoch and the loss after it in one launch; one read, of the loss. */
    private double epochKernel() {
        backend.linregEpoch(w, b, lossSum, status, features, labels, dataIter.indices(), config.lr(),
                config.batchSize());
        double loss = backend.read(lossSum)[0] / (double) n;
        // Parameters that went inf or NaN stay so, and make the loss inf or NaN: only then is the
        // status worth a second read.
        nonFiniteStep = Double.isFinite(loss) ? 0 : backend.read(status)[0];
        return loss;
    }

    /** {@code loss(net(features, w, b), labels).mean()} with the current parameters. */
    public double loss() {
        enter();
        try {
            linreg(yHatAll, features, w, b);
            squaredLoss(lAll, yHatAll, labels);
            sum(lossSum, lAll);
            return backend.read(lossSum)[0] / (double) n;
        } finally {
            guard.exit();
        }
    }

    /**
     * After an epoch on the {@link Kernels#EPOCH} kernels: 0 when {@code w} and {@code b} stayed
     * finite, else 1 + the index of the first minibatch step of that epoch after which one of them
     * was inf or NaN (the kernel's device-side flag). Always 0 on the other paths, whose divergence
     * shows in the loss alone.
     */
    public int nonFiniteStep() {
        return nonFiniteStep;
    }

    /** Epochs run so far (a resumed trainer counts the checkpoint's). */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * The state after {@link #epochsDone()} epochs, to {@link Checkpoint#write} and later
     * {@link #resume}. Reads the parameters; the first call also fingerprints the data.
     */
    public Checkpoint checkpoint() {
        enter();
        try {
            if (fingerprint == null) {
                fingerprint = data.fingerprint();
            }
            if (Double.isNaN(lastLoss)) {
                lastLoss = loss();
            }
            return new Checkpoint(epochsDone, config.batchSize(), config.lr(), config.seed(), config.kernels(), n, d,
                    fingerprint, lastLoss, w(), b(), backend.description());
        } finally {
            guard.exit();
        }
    }

    public TrainConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** Reads {@code w} from the device. */
    public float[] w() {
        enter();
        try {
            return backend.read(w);
        } finally {
            guard.exit();
        }
    }

    /** Reads {@code b} from the device. */
    public float b() {
        enter();
        try {
            return backend.read(b)[0];
        } finally {
            guard.exit();
        }
    }

    /** Enters the guard of an operation on the device; after {@link #close()} there is none. */
    private void enter() {
        guard.enter();
        if (closed) {
            guard.exit();
            throw new IllegalStateException("the trainer is closed: its device buffers are freed");
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Frees every device object the trainer made (not the backend, which the caller owns). */
    @Override
    public void close() {
        guard.enter();
        try {
            closed = true;
            closeOwned();
        } finally {
            guard.exit();
        }
    }

    private void closeOwned() {
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
