package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;

/**
 * Trains {@code linreg} on one backend, the chapter's loop one epoch per {@link #epoch()} call. The
 * data, {@code w ~ N(0, 0.01)}, {@code b = 0} and the gradients stay on the device; the only reads
 * are the epoch loss and, when asked, the parameters. {@link TrainConfig#kernels()} chooses how an
 * epoch runs ({@link Kernels}). Collaborators: {@link Capacity} (checked before anything is made),
 * {@link Rollback} (a diverged epoch is undone), {@link Checkpoint} (a run saved and resumed). One
 * thread at a time: an overlapping call throws {@code ConcurrentUseException}.
 */
public final class Trainer extends DeviceRun {
    final Dataset data; // for Checkpoint
    // On the device: the data, the parameters, their gradients, a minibatch's (or all n) y_hat and l.
    private final Tensor features, labels, w, b, dw, db, yHat, l, lossSum;
    private final MinibatchStep step; // any step but the chapter's four calls, and momentum's velocities
    private final DataIter dataIter;
    private final Rollback rollback;

    /**
     * A new run on {@code data}, which must not change while the trainer uses it; a batch size over n
     * is a {@link ConfigException}, tensors that do not fit the device a {@code DeviceLimitException}.
     */
    public Trainer(Backend backend, Dataset data, TrainConfig config) {
        this(backend, data, config, 0, config.initialWeights(data.d()), 0f, Double.NaN);
    }

    /** Continues a run after {@code epochsDone} epochs: {@link Checkpoint#resume}. */
    Trainer(Backend backend, Dataset data, TrainConfig config, int epochsDone, float[] w0, float b0, double loss) {
        super(backend, config, "Trainer", epochsDone, loss);
        config.checkFits(data);
        this.data = data;
        int n = data.n(), d = data.d(), bs = config.batchSize();
        Capacity.check(backend, n, d, bs);
        try {
            Dataset.Synthetic drawn = data.materialized() ? null : data.synthetic(); // drawn on the device instead
            features = owned.own(drawn != null ? backend.empty(n, d) : backend.tensor(data.features(), n, d));
            labels = owned.own(drawn != null ? backend.empty(n, 1) : backend.tensor(data.labels(), n, 1));
            if (drawn != null) {
                backend.syntheticData(features, labels, drawn.trueW(), drawn.trueB(), drawn.seed());
            }
            w = owned.own(backend.tensor(w0, d, 1));
            b = owned.own(backend.tensor(new float[] {b0}, 1, 1));
            dw = owned.own(backend.zeros(d, 1));
            db = owned.own(backend.zeros(1, 1));
            yHat = owned.own(backend.zeros(n, 1)); // a minibatch's predictions, or all n
            l = owned.own(backend.zeros(n, 1));
            lossSum = owned.own(backend.zeros(1, 1));
            step = owned.own(new MinibatchStep(config.rule(), config.kernels(), w, b));
            dataIter = owned.own(new DataIter(bs, features, labels));
            rollback = owned.own(new Rollback(step.state()));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** An epoch ({@link #epoch()}, which undoes it when it diverged): as {@link TrainConfig#kernels()} says. */
    @Override
    double runEpoch(int epoch) {
        return config.kernels() == Kernels.EPOCH ? epochKernel(epoch) : chaptersLoop(epoch);
    }

    @Override
    Rollback rollback() {
        return rollback;
    }

    /** The chapter's loop: its four functions, one kernel each; any other path or rule: {@link MinibatchStep}. */
    private double chaptersLoop(int epoch) {
        step.startEpoch();
        for (Batch batch : dataIter.order(config, epoch)) {
            if (!step.isTheChapters()) {
                step.run(batch, features, labels, dataIter.indices(), epoch == 1 && batch.start() == 0);
            } else {
                Tensor x = batch.x(), y = batch.y(), yHat = this.yHat.head(batch.size());
                linreg(yHat, x, w, b);                                       // net(X, w, b)
                squaredLoss(l.head(batch.size()), yHat, y);                  // l = loss(net(X, w, b), y)
                squaredLossGrad(dw, db, x, yHat, y);                         // l.sum().backward()
                sgd(new Tensor[] {w, b}, new Tensor[] {dw, db}, config.lr(), config.batchSize()); // sgd([w, b], lr, bs)
            }
        }
        return meanLoss();
    }

    /** The loop and the loss after it in one launch; one read, of the loss (and, when it is not finite, the step). */
    private double epochKernel(int epoch) {
        dataIter.order(config, epoch);
        backend.linregEpoch(w, b, step.v(), step.running(), lossSum, rollback.status(), features, labels,
                dataIter.indices(), config.rule(), epoch == 1);
        double loss = config.reportedLoss(backend.read(lossSum)[0], data.n());
        rollback.readStatus(loss);
        return loss;
    }

    /** {@code loss(net(features, w, b), labels)} with the current parameters ({@link TrainConfig#reportedLoss}). */
    @Override
    double meanLoss() {
        linreg(yHat, features, w, b);
        backend.loss(config.loss().kind(), l, yHat, labels, config.loss().delta());
        backend.sum(lossSum, l);
        return config.reportedLoss(backend.read(lossSum)[0], data.n());
    }

    /** With {@link TrainConfig#batchLosses()}: the last epoch's batch losses, each before its step, summed. */
    public double batchLosses() {
        return guarded(step::runningLoss);
    }

    /** After a diverged epoch on {@link Kernels#EPOCH}: 1 + the first step that made w or b inf or NaN; else 0. */
    public int nonFiniteStep() {
        return rollback.nonFiniteStep();
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
