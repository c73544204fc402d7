package org.d2lcl;

import static org.d2lcl.D2l.linreg;
import static org.d2lcl.D2l.sgd;
import static org.d2lcl.D2l.squaredLoss;
import static org.d2lcl.D2l.squaredLossGrad;
import static org.d2lcl.D2l.sum;

import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Tensor;

/**
 * The online variant of the chapter's program: no data set, every iteration a fresh batch drawn on
 * the device ({@link Backend#onlineBatch}: {@code x ~ U(0, 20)}, {@code y = 2x + 1 + 3 N(0, 1)}),
 * {@code w0 ~ U(0, 1)}, {@code b0 = 0}, the loss {@code 0.5 * sum((y_hat - y)^2)} with no division,
 * and plain SGD without the division by the batch size:
 *
 * <pre>
 * for it in range(iterations):
 *     x, y = fresh_batch(it)                         # backend.onlineBatch, philox.cl
 *     l = squared_loss(linreg(x, w, b), y).sum()     # D2l.linreg, D2l.squaredLoss, D2l.sum
 *     dw, db = l.backward()                          # D2l.squaredLossGrad
 *     w -= lr * dw;  b -= lr * db                    # D2l.sgd with batch size 1 (lr * g / 1 is exact)
 * </pre>
 *
 * The batches are the numbers of (seed, iteration) alone, so a run is reproduced by its seed on any
 * backend; only the sums ({@code squaredLossGrad}, {@code sum}) may round differently between them.
 */
public final class Online implements AutoCloseable {
    /**
     * The variant's settings; {@link #DEFAULT} is the write-up's: batch 32, lr 1e-4, 500 iterations,
     * {@code x ~ U(0, 20)}, {@code y = 2x + 1 + 3 N(0, 1)}.
     */
    public record Config(int batchSize, float lr, int iterations, long seed, float trueW, float trueB, float noise,
            float xLo, float xHi) {
        public static final Config DEFAULT = of(32, 1e-4f, 500, 42);

        public Config {
            if (batchSize < 1 || iterations < 0 || !(lr > 0) || !Float.isFinite(lr) || !(xHi > xLo)) {
                throw new ConfigException("online: batch size " + batchSize + ", lr " + lr + ", iterations "
                        + iterations + ", x in [" + xLo + ", " + xHi + "): the batch size and the learning rate must be"
                        + " > 0, iterations >= 0 and the range non-empty");
            }
        }

        /** The write-up's data ({@code x ~ U(0, 20)}, {@code y = 2x + 1 + 3 N(0, 1)}) with these hyper-parameters. */
        public static Config of(int batchSize, float lr, int iterations, long seed) {
            return new Config(batchSize, lr, iterations, seed, 2f, 1f, 3f, 0f, 20f);
        }
    }

    private final Backend backend;
    private final Config config;
    private final Resources owned = new Resources();
    private final Tensor x;
    private final Tensor y;
    private final Tensor w;
    private final Tensor b;
    private final Tensor dw;
    private final Tensor db;
    private final Tensor yHat;
    private final Tensor l;
    private final Tensor lossSum;
    private int iterations;
    private double lastLoss = Double.NaN;

    /** A new run: {@code w0 ~ U(0, 1)} from {@link Rng#init(long)}, {@code b0 = 0}. */
    public Online(Backend backend, Config config) {
        this.backend = backend;
        this.config = config;
        int n = config.batchSize();
        try {
            x = owned.own(backend.zeros(n, 1));
            y = owned.own(backend.zeros(n, 1));
            w = owned.own(backend.tensor(new float[] {Rng.init(config.seed()).nextFloat()}, 1, 1));
            b = owned.own(backend.zeros(1, 1));
            dw = owned.own(backend.zeros(1, 1));
            db = owned.own(backend.zeros(1, 1));
            yHat = owned.own(backend.zeros(n, 1));
            l = owned.own(backend.zeros(n, 1));
            lossSum = owned.own(backend.zeros(1, 1));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /**
     * The next iteration: a fresh batch, its loss with the current parameters (returned), then the
     * update.
     *
     * @throws TrainingDivergedException when the batch loss is not finite; the parameters are left
     *     as they were before this iteration
     */
    public double iteration() {
        int it = iterations + 1;
        backend.onlineBatch(x, y, config.seed(), it, config.trueW(), config.trueB(), config.noise(), config.xLo(),
                config.xHi());
        linreg(yHat, x, w, b);                    // y_hat = linreg(x, w, b)
        squaredLoss(l, yHat, y);                  // l = (y_hat - y)^2 / 2
        sum(lossSum, l);
        double loss = backend.read(lossSum)[0];  // l.sum(), read to print and to check
        if (!Double.isFinite(loss)) {
            throw TrainingDivergedException.online(it, loss, lastLoss, config.lr());
        }
        squaredLossGrad(dw, db, x, yHat, y);      // l.sum().backward()
        sgd(new Tensor[] {w, b}, new Tensor[] {dw, db}, config.lr(), 1);
        iterations = it;
        lastLoss = loss;
        return loss;
    }

    /** Iterations run so far. */
    public int iterations() {
        return iterations;
    }

    public Config config() {
        return config;
    }

    /** Reads {@code w} from the device. */
    public float w() {
        return backend.read(w)[0];
    }

    /** Reads {@code b} from the device. */
    public float b() {
        return backend.read(b)[0];
    }

    /** A fresh batch of {@code n} points the run has not seen (stream {@code -1 - index}), for a picture. */
    public float[][] freshPoints(int index, int n) {
        try (Tensor px = backend.zeros(n, 1); Tensor py = backend.zeros(n, 1)) {
            backend.onlineBatch(px, py, config.seed(), -1 - index, config.trueW(), config.trueB(), config.noise(),
                    config.xLo(), config.xHi());
            return new float[][] {backend.read(px), backend.read(py)};
        }
    }

    /** Frees the run's tensors (not the backend). */
    @Override
    public void close() {
        owned.close();
    }
}
