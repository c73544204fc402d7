package org.d2lcl.kernels;

import java.util.HashMap;
import java.util.Map;
import org.d2lcl.StepRule;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code kernels/linreg_step.cl}: one minibatch's forward pass, residual, gradient
 * and update of {@code w} and {@code b} under a {@link StepRule} (the loss and the optimizer, built
 * into the program), rows read through the permutation. A batch of up to {@link #RUN} rows is one
 * launch; a longer one is summed run by run in parallel work-groups and updated by a second launch,
 * with the same bits.
 */
public final class LinregStepKernel implements AutoCloseable {
    /** Rows per run, as {@code linreg_step.cl} defines it. */
    public static final int RUN = 4096;

    private record Kernels(Fitted<Tuning.Linreg> fitted, Kernel step, Kernel grad, Kernel update) {
        Kernels(Fitted<Tuning.Linreg> fitted) {
            this(fitted, fitted.kernel("linreg_step"), fitted.kernel("linreg_grad"), fitted.kernel("linreg_update"));
        }

        void close() {
            fitted.close();
        }
    }

    private final Context context;
    private final Tuning.Linreg tuning;
    /** The kernels for each row width d and rule, the program's compile-time D and options. */
    private final Map<String, Kernels> byWidth = new HashMap<>();
    private final ScratchBuffer partial;
    /** The runs' batch losses of a batch over a run (with a running loss). */
    private final ScratchBuffer runLosses;
    /** The velocity or running-loss argument of a rule without one: never read or written. */
    private final ScratchBuffer unused;
    /** The arguments linreg_step holds from the last call: a minibatch loop re-sets only start and count. */
    private Object[] lastArgs;
    /** The last step's rule, width and kernels: a minibatch loop finds them without building the map's key. */
    private StepRule lastRule;
    private int lastWidth;
    private Kernels lastKernels;

    public LinregStepKernel(Context context) {
        this(context, Tuning.linreg(context.device()));
    }

    /** With the given sizes instead of the device's: how the tests run every device's geometry. */
    LinregStepKernel(Context context, Tuning.Linreg tuning) {
        this.context = context;
        this.partial = new ScratchBuffer(context);
        this.runLosses = new ScratchBuffer(context);
        this.unused = new ScratchBuffer(context);
        this.tuning = tuning;
    }

    /** The next {@code step} with the chapter's rule ({@link StepRule#chapter}). */
    public void step(Buffer w, Buffer b, Buffer x, Buffer y, Buffer idx, int start, int count, float lr,
            int batchSize, int d) {
        step(w, b, null, null, x, y, idx, start, count, StepRule.chapter(lr, batchSize), false, d);
    }

    /**
     * Enqueues the step over rows {@code idx[start .. start + count)} of {@code x} ({@code n x d})
     * and {@code y} under {@code rule}; {@code v} holds the d + 1 velocities for momentum and
     * {@code running} the running loss for {@link StepRule#runningLoss} (else either may be null),
     * {@code first} says whether this is the run's first step.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the gradient of d + 1 values does not fit
     *     the device's local memory
     */
    public void step(Buffer w, Buffer b, Buffer v, Buffer running, Buffer x, Buffer y, Buffer idx, int start,
            int count, StepRule rule, boolean first, int d) {
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Kernels k = kernels(d, rule);
        Tuning.Linreg fit = k.fitted.geometry();
        long gradient = fit.gradientBytes(d);
        int l = fit.local();
        Buffer velocity = v != null ? v : unused.floats(1);
        Buffer sum = running != null ? running : unused.floats(1);
        float delta = rule.loss().delta();
        float mu = rule.optimizer().mu();
        float maxNorm = rule.optimizer().maxNorm();
        int divisor = rule.divisor();
        int firstStep = first ? 1 : 0;
        if (count <= RUN) {
            Object[] args = {k, w, b, velocity, sum, x, y, idx, rule, firstStep};
            if (!java.util.Arrays.equals(args, lastArgs)) {
                k.step.arg(0, w).arg(1, b).arg(2, velocity).arg(3, sum).arg(4, x).arg(5, y).arg(6, idx).arg(9, delta)
                        .arg(10, rule.lr()).arg(11, divisor).arg(12, mu).arg(13, firstStep).arg(14, maxNorm)
                        .argLocal(15, fit.residualBytes()).argLocal(16, gradient).argLocal(17, gradient);
                lastArgs = args;
            }
            k.step.arg(7, start).arg(8, count);
            k.step.launch(l, l);
            return;
        }
        int runs = Tuning.ceilDiv(count, RUN);
        Buffer p = partial.floats(runs * gradient / Float.BYTES);
        Buffer runLoss = runLosses.floats(runs);
        k.grad.arg(0, p).arg(1, runLoss).arg(2, w).arg(3, b).arg(4, x).arg(5, y).arg(6, idx).arg(7, start)
                .arg(8, count).arg(9, delta).argLocal(10, fit.residualBytes()).argLocal(11, gradient);
        k.grad.launch((long) runs * l, l);
        k.update.arg(0, w).arg(1, b).arg(2, velocity).arg(3, sum).arg(4, p).arg(5, runLoss).arg(6, runs).arg(7, count)
                .arg(8, rule.lr()).arg(9, divisor).arg(10, mu).arg(11, firstStep).arg(12, maxNorm);
        k.update.launch(l, l);
    }

    private Kernels kernels(int d, StepRule rule) {
        if (rule != lastRule || d != lastWidth) {
            lastKernels = byWidth.computeIfAbsent(d + " " + rule.buildOptions(), key -> new Kernels(Fitted.build(
                    context, "linreg_step.cl", tuning, Tuning.Linreg.shape(context.device(), d, rule.buildOptions()),
                    "linreg_step", "linreg_grad", "linreg_update")));
            lastRule = rule;
            lastWidth = d;
        }
        return lastKernels;
    }

    /** The sizes asked for; rows of d features may get smaller ones ({@link #geometry(int)}). */
    Tuning.Linreg geometry() {
        return tuning;
    }

    /** The sizes the kernels for rows of {@code d} features were built with. */
    Tuning.Linreg geometry(int d) {
        return kernels(d, StepRule.chapter(1f, 1)).fitted.geometry();
    }

    @Override
    public void close() {
        byWidth.values().forEach(Kernels::close);
        byWidth.clear();
        lastRule = null;
        lastKernels = null;
        partial.close();
        runLosses.close();
        unused.close();
    }
}
