package org.d2lcl.kernels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.DeviceLimitException;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code kernels/linreg_sweep.cl}: an epoch of many independent runs in one launch, one
 * work-group per run, each the operations of {@code linreg_epoch.cl}. The kernel is built with the
 * geometry the epoch kernel has for the same row width and rule ({@link LinregEpochKernel}), never
 * a smaller one: the loss's sum order depends on L, and a run of a sweep must give the bits it gives
 * alone. Where the sweep kernel refuses that geometry it is a {@link DeviceLimitException}, and the
 * caller trains the runs one after another.
 */
public final class LinregSweepKernel implements AutoCloseable {
    /** Ints per run in the plan, floats per run in the rates: {@code linreg_sweep.cl}'s PLAN and RATES. */
    static final int PLAN = 7;
    static final int RATES = 4;

    private final Context context;
    private final LinregEpochKernel epochs;
    private final Map<String, Fitted<Tuning.Linreg>> byWidth = new HashMap<>();
    /** The velocity or running-loss argument of a rule without one: never read or written. */
    private final ScratchBuffer unused;
    // The plan and rates on the device, and what they hold, so that an unchanged plan is not sent again.
    private Buffer plan;
    private Buffer rates;
    private int[] planSent = new int[0];
    private float[] ratesSent = new float[0];

    /**
     * @param epochs the epoch kernel of the same context, whose geometry this one takes
     */
    public LinregSweepKernel(Context context, LinregEpochKernel epochs) {
        this.context = context;
        this.epochs = epochs;
        this.unused = new ScratchBuffer(context);
    }

    /**
     * Enqueues one epoch of each of {@code runs} ({@link RunEpoch}: where its parameters, rows and
     * permutation lie), all under rules with the same build options: for run k, what
     * {@link LinregEpochKernel#epoch} does to {@code w[k*d ..]}, {@code b[k]}, {@code v[k*(d+1) ..]},
     * {@code running[k]}, {@code loss[k]} and {@code status[k]}. {@code v} and {@code running} may be
     * null when the rules keep no velocity or running loss. The caller has checked the shapes
     * ({@code Backend.linregSweep}).
     *
     * @throws DeviceLimitException when the device cannot run the sweep kernel with the epoch kernel's geometry
     */
    public void sweep(Buffer w, Buffer b, Buffer v, Buffer running, Buffer loss, Buffer status, Buffer x, Buffer y,
            Buffer idx, List<RunEpoch> runs, int d) {
        if (runs.isEmpty()) {
            return;
        }
        StepRule rule = runs.get(0).rule();
        Tuning.Linreg.checkLocalMemory(context.device(), d);
        Fitted<Tuning.Linreg> fitted = fitted(d, rule);
        Tuning.Linreg fit = fitted.geometry();
        send(runs);
        Kernel k = fitted.kernel("linreg_sweep");
        k.arg(0, w).arg(1, b).arg(2, v != null ? v : unused.floats(1)).arg(3, running != null ? running : unused.floats(1))
                .arg(4, loss).arg(5, status).arg(6, x).arg(7, y).arg(8, idx).arg(9, plan).arg(10, rates)
                .argLocal(11, fit.residualBytes()).argLocal(12, fit.gradientBytes(d)).argLocal(13, fit.gradientBytes(d));
        k.launch((long) runs.size() * fit.local(), fit.local());
    }

    /** Writes the plan and the rates of {@code runs}, each only when it differs from what the device holds. */
    private void send(List<RunEpoch> runs) {
        int[] p = new int[runs.size() * PLAN];
        float[] r = new float[runs.size() * RATES];
        for (int q = 0; q < runs.size(); q++) {
            RunEpoch e = runs.get(q);
            StepRule rule = e.rule();
            int[] ints = {e.run(), e.n(), rule.batchSize(), rule.divisor(), e.first() ? 1 : 0, e.row(), e.start()};
            System.arraycopy(ints, 0, p, q * PLAN, PLAN);
            float[] floats = {rule.lr(), rule.optimizer().mu(), rule.optimizer().maxNorm(), rule.loss().delta()};
            System.arraycopy(floats, 0, r, q * RATES, RATES);
        }
        if (plan == null || plan.bytes() < (long) p.length * Integer.BYTES) {
            closePlan();
            plan = context.ints(p.length);
            rates = context.floats(r.length);
            planSent = new int[0];
            ratesSent = new float[0];
        }
        if (!Arrays.equals(p, planSent)) {
            plan.write(p);
            planSent = p;
        }
        if (!Arrays.equals(r, ratesSent)) {
            rates.write(r, 0, r.length);
            ratesSent = r;
        }
    }

    private Fitted<Tuning.Linreg> fitted(int d, StepRule rule) {
        return byWidth.computeIfAbsent(d + " " + rule.buildOptions(), key -> {
            Tuning.Linreg geometry = epochs.geometry(d, rule);
            Fitted.Shape<Tuning.Linreg> shape = Tuning.Linreg.shape(context.device(), d, rule.buildOptions());
            // The epoch kernel's geometry or none: a smaller L would sum the loss in another order.
            Fitted.Shape<Tuning.Linreg> only = new Fitted.Shape<>(shape.options(), shape.items(), shape.localArgBytes(),
                    g -> null);
            return Fitted.build(context, "linreg_sweep.cl", geometry, only, "linreg_sweep");
        });
    }

    /** The sizes the sweep kernel for rows of {@code d} features under {@code rule} was built with. */
    Tuning.Linreg geometry(int d, StepRule rule) {
        return fitted(d, rule).geometry();
    }

    private void closePlan() {
        if (plan != null) {
            plan.close();
            rates.close();
            plan = null;
            rates = null;
        }
    }

    @Override
    public void close() {
        byWidth.values().forEach(Fitted::close);
        byWidth.clear();
        closePlan();
        unused.close();
    }
}
