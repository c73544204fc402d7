package org.d2lcl;

import java.util.Locale;

/**
 * The epoch loss became infinite or NaN: the learning rate is too large for the data. The trainer
 * that threw it holds the parameters of the last finite epoch, {@link #lastFiniteEpoch()}.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final double loss;
    private final int step;
    private final int lastFiniteEpoch;
    private final double lastFiniteLoss;
    private final float lr;

    /**
     * @param epoch the epoch whose loss is not finite
     * @param step the 1-based minibatch step after which a parameter first became inf or NaN, when the
     *     kernels report it (the epoch kernel's device-side flag); 0 when unknown
     * @param lastFiniteEpoch the epoch the parameters were rolled back to (0: the initial ones)
     * @param lastFiniteLoss the loss with those parameters
     */
    public TrainingDivergedException(int epoch, double loss, int step, int lastFiniteEpoch, double lastFiniteLoss,
            float lr) {
        this("epoch", epoch, loss, step, lastFiniteEpoch, lastFiniteLoss, lr);
    }

    private TrainingDivergedException(String unit, int epoch, double loss, int step, int lastFiniteEpoch,
            double lastFiniteLoss, float lr) {
        super(message(unit, epoch, loss, step, lastFiniteEpoch, lastFiniteLoss, lr));
        this.epoch = epoch;
        this.loss = loss;
        this.step = step;
        this.lastFiniteEpoch = lastFiniteEpoch;
        this.lastFiniteLoss = lastFiniteLoss;
        this.lr = lr;
    }

    /**
     * The online variant's batch loss became infinite or NaN at {@code iteration} (1-based); the
     * parameters are those after iteration {@code iteration - 1}. {@link #epoch()} is the iteration.
     */
    public static TrainingDivergedException online(int iteration, double loss, double lastFiniteLoss, float lr) {
        return new TrainingDivergedException("iteration", iteration, loss, 0, iteration - 1, lastFiniteLoss, lr);
    }

    private static String message(String unit, int epoch, double loss, int step, int lastFiniteEpoch,
            double lastFiniteLoss, float lr) {
        String head = "training diverged at " + unit + " " + epoch + (step > 0 ? ", step " + step : "") + " (loss = "
                + format(loss) + "); ";
        if (!Double.isFinite(lastFiniteLoss)) {
            return head + "the loss is " + format(lastFiniteLoss) + " already with the parameters of " + unit + " "
                    + lastFiniteEpoch + ": the data may be too large for float32; try scaling it";
        }
        return head + "last finite loss " + format(lastFiniteLoss) + " at " + unit + " " + lastFiniteEpoch
                + (lastFiniteEpoch == 0 ? " (the initial parameters)" : "") + "; try a smaller learning rate than "
                + new java.math.BigDecimal(Float.toString(lr)).stripTrailingZeros().toPlainString();
    }

    /** {@code inf}, {@code nan} or {@code 1.2e+07}. */
    static String format(double loss) {
        if (Double.isNaN(loss)) {
            return "nan";
        }
        if (Double.isInfinite(loss)) {
            return loss > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.1e", loss);
    }

    /** The epoch whose loss is not finite. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based minibatch step whose update first made a parameter inf or NaN; 0 when not reported. */
    public int step() {
        return step;
    }

    /** Its loss: infinite or NaN. */
    public double loss() {
        return loss;
    }

    /** The epoch whose parameters the trainer holds now; 0 for the initial parameters. */
    public int lastFiniteEpoch() {
        return lastFiniteEpoch;
    }

    public double lastFiniteLoss() {
        return lastFiniteLoss;
    }

    /** The learning rate that diverged. */
    public float lr() {
        return lr;
    }
}
