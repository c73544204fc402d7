package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;
import static org.d2lcl.D2l.sum;

import java.util.ArrayDeque;
import java.util.Deque;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;

/**
 * Trains {@code linreg} on one backend, the chapter's loop one epoch per {@link #epoch()} call.
 *
 * <p>The data, the parameters {@code w ~ N(0, 0.01)}, {@code b = 0} and their gradients are
 * created on the device once and stay there. Within an epoch nothing crosses to the host but the
 * epoch's permutation going in; the only reads are the epoch loss and, when asked, the parameters.
 * {@link TrainConfig#kernels()} chooses how an epoch runs ({@link Kernels}): the chapter's loop
 * below, the same loop with each minibatch one fused kernel, or the whole epoch one kernel.
 * A trainer is used by one thread at a time.
 */
public final class Trainer implements AutoCloseable {
    private final Backend backend;
    private final TrainConfig config;
    private final int n;
    private final int d;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    private final Tensor features;
    private final Tensor labels;
    private final Tensor w;
    private final Tensor b;
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

    public Trainer(Backend backend, Dataset data, TrainConfig config) {
        config.checkFits(data);
        this.backend = backend;
        this.config = config;
        this.n = data.n();
        this.d = data.d();
        try {
            features = own(backend.tensor(data.features(), n, d));
            labels = own(backend.tensor(data.labels(), n, 1));
            w = own(backend.tensor(initialWeights(d, config.seed()), d, 1));
            b = own(backend.zeros(1, 1));
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
            close();
            throw e;
        }
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

    /** Runs the next epoch and returns its loss: the mean squared loss over all n examples afterwards. */
    public double epoch() {
        int epoch = ++epochsDone;
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
        linreg(yHatAll, features, w, b);
        squaredLoss(lAll, yHatAll, labels);
        sum(lossSum, lAll);
        return backend.read(lossSum)[0] / (double) n;
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

    /** Reads {@code w} from the device. */
    public float[] w() {
        return backend.read(w);
    }

    /** Reads {@code b} from the device. */
    public float b() {
        return backend.read(b)[0];
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Frees every device object the trainer made (not the backend, which the caller owns). */
    @Override
    public void close() {
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
