package org.d2lcl.kernels;

import java.util.HashMap;
import java.util.Map;
import org.d2lcl.StepRule;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code kernels/linreg_epoch.cl}: every minibatch step of an epoch and the epoch's
 * loss in one launch, by one work-group walking the permutation.
 */
public final class LinregEpochKernel implements AutoCloseable {
    private final Context context;
    private final Tuning.Linreg tuning;
    /** One kernel per row width d and rule, the program's compile-time D and options. */
    private final Map<String, Fitted<Tuning.Linreg>> byWidth = new HashMap<>();
    /** The chunked epoch's two kernels ({@code -DEPOCH_CHUNKS=1}), per width and rule, with the epoch kernel's geometry. */
    private final Map<String, Fitted<Tuning.Linreg>> chunkedByWidth = new HashMap<>();
    /** The velocity or running-loss argument of a rule without one: never read or written. */
    private final ScratchBuffer unused;

    public LinregEpochKernel(Context context) {
        this(context, Tuning.linreg(context.device()));
    }

    /** With the given sizes instead of the device's: how the tests run every device's geometry. */
    LinregEpochKernel(Context context, Tuning.Linreg tuning) {
        this.context = context;
        this.tuning = tuning;
        this.unused = new ScratchBuffer(context);
    }

    /** The next {@code epoch} with the chapter's rule ({@link StepRule#chapter}). */
    public void epoch(Buffer w, Buffer b, Buffer loss, Buffer status, Buffer x, Buffer y, Buffer idx, float lr,
            int batchSize, int n, int d) {
        epoch(w, b, null, null, loss, status, x, y, idx, StepRule.chapter(lr, batchSize), false, n, d);
    }

    /**
     * Enqueues one epoch over the {@code n} rows of {@code x} in the order of {@code idx} under
     * {@code rule} ({@code v}: the d + 1 velocities for momentum, else null; {@code first}: whether
     * the epoch's first step is the run's), then {@code loss[0] = the sum of the rule's per-example
     * losses} with the final parameters and {@code status[0]} = 0, or 1 + the first step after which
     * a parameter was not finite; with {@link StepRule#runningLoss}, {@code running[0]} = the sum
     * of the batch losses, each before its step (else {@code running} may be null).
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the gradient of d + 1 values does not fit
     *     the device's local memory
     */
    public void epoch(Buffer w, Buffer b, Buffer v, Buffer running, Buffer loss, Buffer status, Buffer x, Buffer y,
            Buffer idx, StepRule rule, boolean first, int n, int d) {
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Fitted<Tuning.Linreg> fitted = fitted(d, rule);
        Tuning.Linreg fit = fitted.geometry();
        Kernel k = params(fitted.kernel("linreg_epoch"), w, b, v, running);
        k.arg(4, loss).arg(5, status).arg(6, x).arg(7, y).arg(8, idx).arg(9, n).arg(10, rule.batchSize());
        launch(k, fit, rule, first, d);
    }

    /**
     * Enqueues {@link #epoch}'s steps alone on the {@code n} rows of a chunk, in the order of
     * {@code idx}: the first pass of an epoch whose rows come in chunks. {@code step0} is the epoch's
     * index of the chunk's first step: 0 starts the running loss and sets {@code status[0]}; a later
     * chunk goes on from them ({@code status[0]} keeps an earlier chunk's step).
     */
    public void steps(Buffer w, Buffer b, Buffer v, Buffer running, Buffer status, Buffer x, Buffer y, Buffer idx,
            StepRule rule, boolean first, int step0, int n, int d) {
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Fitted<Tuning.Linreg> fitted = chunked(d, rule);
        Tuning.Linreg fit = fitted.geometry();
        Kernel k = params(fitted.kernel("linreg_epoch_steps"), w, b, v, running);
        k.arg(4, status).arg(5, x).arg(6, y).arg(7, idx).arg(8, n).arg(9, rule.batchSize()).arg(10, step0);
        launch(k, fit, rule, first, d);
    }

    /** Arguments 0 to 3 of the epoch kernel and its steps: the parameters, velocities and running loss. */
    private Kernel params(Kernel k, Buffer w, Buffer b, Buffer v, Buffer running) {
        return k.arg(0, w).arg(1, b).arg(2, v != null ? v : unused.floats(1))
                .arg(3, running != null ? running : unused.floats(1));
    }

    /** Arguments 11 to 19, the rule's and the local memory, shared by the epoch kernel and its steps; then the launch. */
    private static void launch(Kernel k, Tuning.Linreg fit, StepRule rule, boolean first, int d) {
        k.arg(11, rule.loss().delta()).arg(12, rule.lr()).arg(13, rule.divisor()).arg(14, rule.optimizer().mu())
                .arg(15, first ? 1 : 0).arg(16, rule.optimizer().maxNorm()).argLocal(17, fit.residualBytes())
                .argLocal(18, fit.gradientBytes(d)).argLocal(19, fit.gradientBytes(d));
        k.launch(fit.local(), fit.local());
    }

    /**
     * Enqueues {@link #epoch}'s loss over rows {@code [row, row + rows)} of the epoch's {@code n},
     * in their own order, at {@code x} and {@code y}: the second pass of an epoch whose rows come in
     * chunks. {@code lanes} ({@link #lanes} floats) carries the sum from one chunk to the next, from
     * {@code row = 0}; the chunk that ends at n writes {@code loss[0]}, the bits {@link #epoch} gives.
     */
    public void loss(Buffer loss, Buffer lanes, Buffer w, Buffer b, Buffer x, Buffer y, StepRule rule, int row,
            int rows, int n, int d) {
        Fitted<Tuning.Linreg> fitted = chunked(d, rule);
        Tuning.Linreg fit = fitted.geometry();
        fitted.kernel("linreg_epoch_loss").arg(0, w).arg(1, b).arg(2, loss).arg(3, lanes).arg(4, x).arg(5, y)
                .arg(6, row).arg(7, rows).arg(8, n).arg(9, rule.loss().delta()).argLocal(10, fit.residualBytes())
                .launch(fit.local(), fit.local());
    }

    /**
     * Floats of {@link #loss}'s {@code lanes} for {@code n} rows of {@code d} features under
     * {@code rule}: 16 per work-item that owns a block of 16 rows.
     */
    public int lanes(int n, int d, StepRule rule) {
        return 16 * Math.min(chunked(d, rule).geometry().local(), (n + 15) / 16);
    }

    /**
     * The most additions between one row's loss and {@code loss[0]}: the factor of
     * {@code u * sum of the losses} in the bound stated in {@code linreg_epoch.cl}.
     */
    public long lossDepth(long n, int d) {
        int l = geometry(d).local();
        return (n + 16L * l - 1) / (16L * l) + 5 + Integer.numberOfTrailingZeros(l);
    }

    private Fitted<Tuning.Linreg> fitted(int d, StepRule rule) {
        return byWidth.computeIfAbsent(d + " " + rule.buildOptions(), key -> Fitted.build(context, "linreg_epoch.cl",
                tuning, Tuning.Linreg.shape(context.device(), d, rule.buildOptions()), "linreg_epoch"));
    }

    /**
     * The chunked epoch's kernels for rows of {@code d} under {@code rule}: built with the geometry
     * the epoch kernel settled on and no other (the loss's sum order depends on L), so that they
     * give its bits.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the device refuses them that geometry
     */
    private Fitted<Tuning.Linreg> chunked(int d, StepRule rule) {
        Tuning.Linreg epoch = fitted(d, rule).geometry();
        return chunkedByWidth.computeIfAbsent(d + " " + rule.buildOptions(), key -> {
            Fitted.Shape<Tuning.Linreg> shape =
                    Tuning.Linreg.shape(context.device(), d, rule.buildOptions() + " -DEPOCH_CHUNKS=1");
            return Fitted.build(context, "linreg_epoch.cl", epoch, new Fitted.Shape<>(shape.options(), shape.items(),
                    shape.localArgBytes(), g -> null), "linreg_epoch_steps", "linreg_epoch_loss");
        });
    }

    /** The sizes asked for; rows of d features may get smaller ones ({@link #geometry(int)}). */
    Tuning.Linreg geometry() {
        return tuning;
    }

    /** The sizes the kernel for rows of {@code d} features was built with. */
    Tuning.Linreg geometry(int d) {
        return geometry(d, StepRule.chapter(1f, 1));
    }

    /**
     * The sizes the kernel for rows of {@code d} features under {@code rule}'s build options was built
     * with (building it on first use): the loss's sum order depends on L, so {@link LinregSweepKernel}
     * takes these.
     */
    Tuning.Linreg geometry(int d, StepRule rule) {
        return fitted(d, rule).geometry();
    }

    @Override
    public void close() {
        byWidth.values().forEach(Fitted::close);
        byWidth.clear();
        chunkedByWidth.values().forEach(Fitted::close);
        chunkedByWidth.clear();
        unused.close();
    }
}
