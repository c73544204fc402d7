package org.d2lcl.backend;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.d2lcl.Loss;
import org.d2lcl.LossFunction;
import org.d2lcl.Optimizer;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;

/**
 * The pure-Java reference of every kernel: plain loops over float arrays, one method per
 * {@code __kernel}, same name and argument order (output first, then inputs, then sizes).
 *
 * <p>Elementwise operations perform the same float operations in the same order as their kernels
 * and so give the same bits. Sums accumulate in increasing index order; the tests hold both
 * these and the kernels to a bound around a float64 oracle kept in the test sources.
 */
public final class Reference {
    /**
     * Each thread's scratch arrays for the training loop's references (the step's sums, the lanes of
     * {@link #dot16} and {@link #sumSquares64}), so that a step allocates nothing and its time does
     * not depend on the garbage collector. None of these methods calls another while it uses them.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] lanes16 = new float[16];
        final float[] lanes64 = new float[CLIP_LANES];
        float[] g = new float[0];
        float[] run = new float[0];

        /** {@link #g} and {@link #run}, at least {@code n} long. */
        Scratch sums(int n) {
            if (g.length < n) {
                g = new float[n];
                run = new float[n];
            }
            return this;
        }
    }

    private Reference() {
    }

    /** {@code matmul.cl}: {@code C[m x n] = A[m x k] · B[k x n] (+ bias[n])}, row-major; bias may be null. */
    public static void matmul(float[] c, float[] a, float[] b, float[] bias, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = bias == null ? acc : acc + bias[j];
            }
        }
    }

    /** {@code squared_loss.cl}: {@code l[i] = (yHat[i] - y[i])^2 / 2}. */
    public static void squaredLoss(float[] l, float[] yHat, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float r = yHat[i] - y[i];
            l[i] = r * r / 2f;
        }
    }

    /** {@code loss_grad.cl}: {@code dw[j] = sum_i X[i][j] (yHat[i] - y[i])}, {@code db[0] = sum_i (yHat[i] - y[i])}. */
    public static void lossGrad(float[] dw, float[] db, float[] x, float[] yHat, float[] y, int n, int d) {
        for (int j = 0; j < d; j++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                acc += x[i * d + j] * (yHat[i] - y[i]);
            }
            dw[j] = acc;
        }
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += yHat[i] - y[i];
        }
        db[0] = acc;
    }

    /**
     * {@code loss.cl}'s {@code loss}, built with {@code -DLOSS=kind}: the per-example loss of
     * {@code r = yHat[i] - y[i]} ({@link Loss}); {@code delta} is Huber's threshold, unused by the others.
     */
    public static void loss(Loss kind, float[] l, float[] yHat, float[] y, int n, float delta) {
        for (int i = 0; i < n; i++) {
            l[i] = lossTerm(kind, yHat[i] - y[i], delta);
        }
    }

    /**
     * {@code loss.cl}'s {@code loss_residual}: {@code dl[i]/dyHat[i]}, the factor {@link #residualGrad}
     * multiplies: {@code r}, {@code 2r}, {@code sign(r)} (0 at 0, NaN stays NaN) or {@code r}
     * clamped to {@code [-delta, delta]}.
     */
    public static void lossResidual(Loss kind, float[] rOut, float[] yHat, float[] y, int n, float delta) {
        for (int i = 0; i < n; i++) {
            rOut[i] = lossFactor(kind, yHat[i] - y[i], delta);
        }
    }

    /** {@code loss_terms.cl}'s {@code LOSS_TERM}: the loss of one residual {@code r = y_hat - y}. */
    public static float lossTerm(Loss kind, float r, float delta) {
        return switch (kind) {
            case SQUARED -> r * r / 2f;
            case MSE -> r * r;
            case L1 -> fabs(r);
            case HUBER -> fabs(r) < delta ? 0.5f * fabs(r) * fabs(r) : delta * (fabs(r) - 0.5f * delta);
        };
    }

    /** {@code loss_terms.cl}'s {@code loss_factor}: {@code dl/dy_hat} of one residual. */
    static float lossFactor(Loss kind, float r, float delta) {
        return switch (kind) {
            case SQUARED -> r;
            case MSE -> 2f * r;
            case L1 -> r > 0f ? 1f : (r < 0f ? -1f : r);
            case HUBER -> r < -delta ? -delta : (r > delta ? delta : r);
        };
    }

    /**
     * OpenCL's {@code fabs}, IEEE 754's abs: the sign bit cleared, NaN included (Java 17's
     * {@code Math.abs} keeps the sign of a NaN).
     */
    private static float fabs(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff);
    }

    /** {@code loss_grad.cl}'s {@code residual_grad}: {@code dw[j] = sum_i X[i][j] r[i]}, {@code db[0] = sum_i r[i]}. */
    public static void residualGrad(float[] dw, float[] db, float[] x, float[] r, int n, int d) {
        for (int j = 0; j < d; j++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                acc += x[i * d + j] * r[i];
            }
            dw[j] = acc;
        }
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += r[i];
        }
        db[0] = acc;
    }

    /** {@code reduce.cl}: {@code x[0] + ... + x[n-1]}, accumulated in double and rounded once. */
    public static float sum(float[] x, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += x[i];
        }
        return (float) acc;
    }

    /** {@code sgd.cl}: {@code p[i] -= lr * g[i] / batchSize; g[i] = 0}. */
    public static void sgd(float[] p, float[] g, float lr, int batchSize, int n) {
        for (int i = 0; i < n; i++) {
            p[i] = p[i] - lr * g[i] / batchSize;
            g[i] = 0f;
        }
    }

    /**
     * {@code momentum.cl}: {@code v[i] = first ? g[i] / batchSize : mu * v[i] + g[i] / batchSize;
     * p[i] -= lr * v[i]; g[i] = 0}, each product and sum one {@link Math#fma} as in the kernel.
     */
    public static void momentum(float[] p, float[] v, float[] g, float lr, float mu, int batchSize, boolean first,
            int n) {
        for (int i = 0; i < n; i++) {
            float gs = g[i] / batchSize;
            float vi = first ? gs : Math.fma(mu, v[i], gs);
            v[i] = vi;
            p[i] = Math.fma(-lr, vi, p[i]);
            g[i] = 0f;
        }
    }

    /** Lanes of {@code clip_grad_norm.cl}'s sum of squares: part of its definition. */
    public static final int CLIP_LANES = 64;

    /**
     * {@code clip_grad_norm.cl}: {@code normOut[0] = sqrt(sum of squares of gw[0..nw) then gb[0..nb))};
     * where {@code coef = maxNorm / (norm + 1e-6f)} is not {@code >= 1}, every value is multiplied
     * by it. The sum in the kernel's order: 64 lanes of {@code fma(x, x, s)}, then a tree.
     */
    public static void clipGradNorm(float[] normOut, float[] gw, float[] gb, float maxNorm, int nw, int nb) {
        float norm = (float) Math.sqrt(sumSquares64(nw + nb, i -> i < nw ? gw[i] : gb[i - nw]));
        float coef = maxNorm / (norm + 1e-6f);
        normOut[0] = norm;
        if (coef >= 1f) {
            return;
        }
        for (int i = 0; i < nw; i++) {
            gw[i] = gw[i] * coef;
        }
        for (int i = 0; i < nb; i++) {
            gb[i] = gb[i] * coef;
        }
    }

    /** Element {@code i} of a vector of floats. */
    interface FloatAt {
        float at(int i);
    }

    /**
     * {@code common.cl}'s {@code SUM_SQUARES64}: the squares of {@code x.at(i)}, {@code i < n}, in
     * {@link #CLIP_LANES} lanes (lane l the fused multiply-adds of {@code i = l, l + 64, ...} in
     * order, from 0), then the lanes added as a tree: {@code p[l] += p[l + h]}, h = 32, 16, ..., 1.
     */
    static float sumSquares64(int n, FloatAt x) {
        float[] lane = SCRATCH.get().lanes64;
        Arrays.fill(lane, 0f);
        for (int i = 0; i < n; i++) {
            float v = x.at(i);
            lane[i % CLIP_LANES] = Math.fma(v, v, lane[i % CLIP_LANES]);
        }
        for (int h = CLIP_LANES / 2; h > 0; h /= 2) {
            for (int l = 0; l < h; l++) {
                lane[l] += lane[l + h];
            }
        }
        return lane[0];
    }

    /** {@code gather.cl}: {@code xOut[r] = x[idx[start + r]]}, {@code yOut[r] = y[idx[start + r]]} for {@code r < count}. */
    public static void gather(float[] xOut, float[] yOut, float[] x, float[] y, int[] idx, int start, int count,
            int d) {
        for (int r = 0; r < count; r++) {
            int src = idx[start + r];
            System.arraycopy(x, src * d, xOut, r * d, d);
            yOut[r] = y[src];
        }
    }

    /** Rows per run of {@code linreg_step.cl}'s gradient sum. */
    public static final int RUN = 4096;

    /**
     * {@code linreg_step.cl} with the chapter's rule ({@link StepRule#chapter}): one minibatch step over rows
     * {@code idx[start .. start + count)} of {@code x} ({@code n x d}).
     */
    public static boolean linregStep(float[] w, float[] b, float[] x, float[] y, int[] idx, int start, int count,
            float lr, int batchSize, int d) {
        return linregStep(w, b, null, null, x, y, idx, start, count, StepRule.chapter(lr, batchSize), false, d);
    }

    /**
     * {@code linreg_step.cl}: one minibatch step over rows {@code idx[start .. start + count)} of
     * {@code x} ({@code n x d}): residual factors {@code r = loss_factor((dot16(x_i, w) + b) - y_i)},
     * gradient {@code g_j = sum x_ij r} (fused multiply-adds, rows in order within runs of
     * {@link #RUN} rows, the runs' sums then added in order; every sum from -0), then the rule's
     * clipping and update ({@link #update}). The same float operations as the kernel, so the same
     * bits. {@code v} (d + 1 velocities) is read and written only for momentum; {@code first} says
     * whether this is the run's first step. With {@link StepRule#runningLoss}, {@code running[0]}
     * gains the batch's loss before the update (its terms summed in double, divided by count for a
     * mean, then added in float; the kernel's sum, in another order, is held to a bound). Returns
     * whether a parameter is not finite after the step.
     */
    public static boolean linregStep(float[] w, float[] b, float[] v, float[] running, float[] x, float[] y,
            int[] idx, int start, int count, StepRule rule, boolean first, int d) {
        return linregStep(w, b, v, running, x, y, 0, idx, start, count, rule, first, d);
    }

    /** {@link #linregStep} on the examples that start at row {@code row} of {@code x} and {@code y}. */
    private static boolean linregStep(float[] w, float[] b, float[] v, float[] running, float[] x, float[] y,
            int row, int[] idx, int start, int count, StepRule rule, boolean first, int d) {
        LossFunction loss = rule.loss();
        Scratch scratch = SCRATCH.get().sums(d + 1);
        float[] g = scratch.g;
        Arrays.fill(g, 0, d + 1, -0f);
        float[] run = scratch.run;
        double batchLoss = 0;
        for (int r0 = 0; r0 < count; r0 += RUN) {
            Arrays.fill(run, 0, d + 1, -0f);
            for (int t = r0; t < Math.min(count, r0 + RUN); t++) {
                int i = row + idx[start + t];
                float res = (dot16(x, i * d, w, d, scratch.lanes16) + b[0]) - y[i];
                batchLoss += lossTerm(loss.kind(), res, loss.delta());
                float r = lossFactor(loss.kind(), res, loss.delta());
                for (int j = 0; j < d; j++) {
                    run[j] = Math.fma(x[i * d + j], r, run[j]);
                }
                run[d] = run[d] + r;
            }
            for (int j = 0; j <= d; j++) {
                g[j] = g[j] + run[j];
            }
        }
        if (rule.runningLoss()) {
            running[0] += (float) (batchLoss / (loss.reduction() == LossFunction.Reduction.MEAN ? count : 1));
        }
        return update(w, b, v, g, count, rule, first, d);
    }

    /**
     * The update of {@code linreg_step.cl}'s {@code update_params}, from the batch's gradient
     * {@code g} (d + 1 values, w's then b's) of {@code count} rows: clipping, then SGD or momentum,
     * the mean's 1/count in the step size (SGD) or the gradient (momentum).
     */
    private static boolean update(float[] w, float[] b, float[] v, float[] g, int count, StepRule rule,
            boolean first, int d) {
        Optimizer opt = rule.optimizer();
        boolean mean = rule.loss().reduction() == LossFunction.Reduction.MEAN;
        float meanDivisor = mean ? (float) count : 1f;
        float divisor = rule.divisor();
        if (opt.clips()) {
            float coef = opt.maxNorm() / ((float) Math.sqrt(sumSquares64(d + 1, i -> g[i])) / meanDivisor + 1e-6f);
            if (!(coef >= 1f)) {
                for (int j = 0; j <= d; j++) {
                    g[j] = g[j] * coef;
                }
            }
        }
        float lr = rule.lr();
        boolean bad = false;
        for (int j = 0; j <= d; j++) {
            float p = j < d ? w[j] : b[0];
            float q;
            if (rule.hasVelocity()) {
                float gs = g[j] / meanDivisor / divisor;
                v[j] = first ? gs : Math.fma(opt.mu(), v[j], gs);
                q = Math.fma(-lr, v[j], p);
            } else {
                q = p - (mean ? lr / (float) count : lr) * g[j] / divisor;
            }
            if (j < d) {
                w[j] = q;
            } else {
                b[0] = q;
            }
            bad |= !Float.isFinite(q);
        }
        return bad;
    }

    /** {@code linreg_epoch.cl} with the chapter's rule ({@link StepRule#chapter}). */
    public static void linregEpoch(float[] w, float[] b, float[] loss, int[] status, float[] x, float[] y, int[] idx,
            float lr, int batchSize, int n, int d) {
        linregEpoch(w, b, null, null, loss, status, x, y, idx, StepRule.chapter(lr, batchSize), false, n, d);
    }

    /**
     * {@code linreg_epoch.cl}: {@link #linregStep} over every minibatch of {@code idx} in order
     * ({@code first} passed on to the first step only; {@code running[0]} from 0), then {@code loss[0]} = the sum over all n
     * rows of the rule's per-example loss (each term in float, the sum in double, rounded once) and
     * {@code status[0]} = 0, or 1 + the first step after which a parameter was not finite.
     */
    public static void linregEpoch(float[] w, float[] b, float[] v, float[] running, float[] loss, int[] status,
            float[] x, float[] y, int[] idx, StepRule rule, boolean first, int n, int d) {
        linregEpoch(w, b, v, running, loss, status, x, y, 0, idx, 0, rule, first, n, d);
    }

    /**
     * {@link #linregEpoch} on the {@code n} examples that start at row {@code row} of {@code x} and
     * {@code y}, in the order of the permutation at {@code idx[start .. start + n)}.
     */
    private static void linregEpoch(float[] w, float[] b, float[] v, float[] running, float[] loss, int[] status,
            float[] x, float[] y, int row, int[] idx, int start, StepRule rule, boolean first, int n, int d) {
        status[0] = epochSteps(w, b, v, running, x, y, row, idx, start, n, rule, first, 0, d);
        loss[0] = (float) epochLoss(0, w, b, x, y, row, n, rule, d);
    }

    /**
     * The epoch's steps over the {@code n} rows {@code idx[start ..]} (of {@code x} from row
     * {@code row}), the epoch's steps {@code step0, step0 + 1, ...} ({@code running[0]} from 0 where
     * {@code step0 = 0}); returns 0, or 1 + the epoch's first step after which a parameter was not finite.
     */
    private static int epochSteps(float[] w, float[] b, float[] v, float[] running, float[] x, float[] y, int row,
            int[] idx, int start, int n, StepRule rule, boolean first, int step0, int d) {
        if (rule.runningLoss() && step0 == 0) {
            running[0] = 0f;
        }
        int firstBad = 0;
        int step = 0;
        int bs = rule.batchSize();
        for (int s = 0; s < n; s += bs, step++) {
            boolean bad = linregStep(w, b, v, running, x, y, row, idx, start + s, Math.min(bs, n - s), rule,
                    first && step == 0, d);
            if (bad && firstBad == 0) {
                firstBad = step0 + step + 1;
            }
        }
        return firstBad;
    }

    /** {@code sum} plus the rule's loss terms of rows {@code [row, row + n)}, each term in float, the sum in double. */
    private static double epochLoss(double sum, float[] w, float[] b, float[] x, float[] y, int row, int n,
            StepRule rule, int d) {
        float[] lanes = SCRATCH.get().lanes16;
        for (int i = row; i < row + n; i++) {
            sum += lossTerm(rule.loss().kind(), (dot16(x, i * d, w, d, lanes) + b[0]) - y[i], rule.loss().delta());
        }
        return sum;
    }

    /**
     * {@code linreg_epoch.cl}'s {@code linreg_epoch_steps}: {@link #linregEpoch}'s steps over rows
     * {@code idx[0 .. count)}, the epoch's steps {@code step0, step0 + 1, ...}: {@code running[0]}
     * from 0 and {@code status[0]} set where {@code step0 = 0}, else both go on.
     */
    public static void linregEpochSteps(float[] w, float[] b, float[] v, float[] running, int[] status, float[] x,
            float[] y, int[] idx, int count, StepRule rule, boolean first, int step0, int d) {
        int firstBad = epochSteps(w, b, v, running, x, y, 0, idx, 0, count, rule, first, step0, d);
        if (step0 == 0 || status[0] == 0) {
            status[0] = firstBad;
        }
    }

    /**
     * {@code linreg_epoch.cl}'s {@code linreg_epoch_loss} for this backend: {@link #linregEpoch}'s
     * loss over rows {@code [row, row + rows)} of {@code n} (at {@code x} and {@code y}), the sum in
     * double carried in {@code state} (its 64 bits in two words) from {@code row = 0}; the chunk
     * that ends at n writes {@code loss[0]}.
     */
    public static void linregEpochLoss(float[] loss, int[] state, float[] w, float[] b, float[] x, float[] y,
            StepRule rule, int row, int rows, int n, int d) {
        double sum = epochLoss(row == 0 ? 0 : Double.longBitsToDouble((long) state[0] << 32 | state[1] & 0xFFFFFFFFL),
                w, b, x, y, 0, rows, rule, d);
        if (row + rows == n) {
            loss[0] = (float) sum;
        } else {
            long bits = Double.doubleToRawLongBits(sum);
            state[0] = (int) (bits >>> 32);
            state[1] = (int) bits;
        }
    }

    /**
     * {@code linreg_sweep.cl}: {@link #linregEpoch} for each of {@code runs}, one after another. Run
     * {@code e.run()} = k has its parameters at {@code w[k*d ..]}, {@code b[k]}, {@code v[k*(d+1) ..]}
     * (momentum only), {@code running[k]} (a running loss only), its results at {@code loss[k]} and
     * {@code status[k]}, its examples at rows {@code e.row() ..} of {@code x} and {@code y} and its
     * permutation at {@code idx[e.start() ..]}. Each run is the same float operations as
     * {@link #linregEpoch} alone, so the same bits.
     */
    public static void linregSweep(float[] w, float[] b, float[] v, float[] running, float[] loss, int[] status,
            float[] x, float[] y, int[] idx, List<RunEpoch> runs, int d) {
        for (RunEpoch e : runs) {
            linregSweep(w, b, v, running, loss, status, x, y, idx, e, d);
        }
    }

    /** One run of {@link #linregSweep(float[], float[], float[], float[], float[], int[], float[], float[], int[], List, int)}. */
    public static void linregSweep(float[] w, float[] b, float[] v, float[] running, float[] loss, int[] status,
            float[] x, float[] y, int[] idx, RunEpoch e, int d) {
        StepRule rule = e.rule();
        int k = e.run();
        float[] wk = Arrays.copyOfRange(w, k * d, k * d + d);
        float[] bk = {b[k]};
        float[] vk = rule.hasVelocity() ? Arrays.copyOfRange(v, k * (d + 1), (k + 1) * (d + 1)) : null;
        float[] runningK = rule.runningLoss() ? new float[1] : null;
        float[] lossK = new float[1];
        int[] statusK = new int[1];
        linregEpoch(wk, bk, vk, runningK, lossK, statusK, x, y, e.row(), idx, e.start(), rule, e.first(), e.n(), d);
        System.arraycopy(wk, 0, w, k * d, d);
        b[k] = bk[0];
        if (vk != null) {
            System.arraycopy(vk, 0, v, k * (d + 1), d + 1);
        }
        if (runningK != null) {
            running[k] = runningK[0];
        }
        loss[k] = lossK[0];
        status[k] = statusK[0];
    }

    /**
     * {@code philox.cl}'s {@code philox_uniform}: {@code out[i]} uniform in [lo, hi] from word 0 of the
     * Philox4x32-10 block with counter (i, stream, 0, 0) and key {@code seed} ({@link Philox}).
     */
    public static void philoxUniform(float[] out, int n, long seed, int stream, float lo, float hi) {
        for (int i = 0; i < n; i++) {
            out[i] = Philox.uniform(Philox.streamBlock(seed, stream, i)[0], lo, hi);
        }
    }

    /**
     * {@code philox.cl}'s {@code philox_normal}: {@code out[i] = fma(z, std, mean)}, z the Box-Muller
     * normal of words 0 and 1 of the block with counter (i, stream, 0, 0) ({@link Philox}).
     */
    public static void philoxNormal(float[] out, int n, long seed, int stream, float mean, float std) {
        for (int i = 0; i < n; i++) {
            int[] r = Philox.streamBlock(seed, stream, i);
            out[i] = Math.fma(Philox.standardNormal(r[0], r[1]), std, mean);
        }
    }

    /**
     * {@code philox.cl}'s {@code online_batch}: from the block with counter (i, step, 1, 0),
     * {@code x[i]} uniform in [xLo, xHi] (word 0) and
     * {@code y[i] = fma(noiseStd, z, fma(w, x[i], b))}, z the normal of words 1 and 2.
     */
    public static void onlineBatch(float[] x, float[] y, int n, long seed, int step, float w, float b, float noiseStd,
            float xLo, float xHi) {
        for (int i = 0; i < n; i++) {
            int[] r = Philox.onlineBlock(seed, step, i);
            float xi = Philox.uniform(r[0], xLo, xHi);
            x[i] = xi;
            y[i] = Math.fma(noiseStd, Philox.standardNormal(r[1], r[2]), Math.fma(w, xi, b));
        }
    }

    /** Rows per task of {@link #syntheticData}: a few hundred kilobytes of features. */
    private static final int SYNTHETIC_ROWS = 4096;

    /**
     * {@code philox.cl}'s {@code synthetic_data}, d2l's {@code synthetic_data(w, b, n)}: {@code x[i*d + j]}
     * the normal of counter (i*d + j, 0, 2, 0), {@code z_i} of (i, 1, 2, 0) ({@link Philox}), and
     * {@code acc = 0; acc = fma(x[i*d + j], w[j], acc)} for each j, {@code y[i] = fma(0.01f, z_i, acc + b)}.
     * Counter-based, so the rows are drawn in parallel (tasks of {@value #SYNTHETIC_ROWS} rows) with
     * the same bits as in order; nothing is allocated per element.
     */
    public static void syntheticData(float[] x, float[] y, float[] w, int n, int d, float b, long seed) {
        int tasks = (n + SYNTHETIC_ROWS - 1) / SYNTHETIC_ROWS;
        IntStream range = IntStream.range(0, tasks);
        (tasks > 1 ? range.parallel() : range).forEach(t -> {
            int[] scratch = new int[4];
            int end = Math.min(n, (t + 1) * SYNTHETIC_ROWS);
            for (int i = t * SYNTHETIC_ROWS; i < end; i++) {
                int row = i * d;
                float acc = 0f;
                for (int j = 0; j < d; j++) {
                    float xij = Philox.syntheticNormal(seed, row + j, 0, scratch);
                    x[row + j] = xij;
                    acc = Math.fma(xij, w[j], acc);
                }
                y[i] = Math.fma(0.01f, Philox.syntheticNormal(seed, i, 1, scratch), acc + b);
            }
        });
    }

    /**
     * The dot product of the fused kernels: 16 lanes, lane l the fused multiply-adds of
     * {@code x[off + j] * w[j]} for {@code j = l, l + 16, ...} in order, then neighbouring lanes
     * added pairwise, four times over. Sums start from -0, the identity of +.
     */
    public static float dot16(float[] x, int off, float[] w, int d) {
        return dot16(x, off, w, d, SCRATCH.get().lanes16);
    }

    /** {@link #dot16(float[], int, float[], int)} in the 16 floats of {@code lane}. */
    private static float dot16(float[] x, int off, float[] w, int d, float[] lane) {
        Arrays.fill(lane, -0f);
        for (int j = 0; j < d; j++) {
            lane[j % 16] = Math.fma(x[off + j], w[j], lane[j % 16]);
        }
        for (int h = 16; h > 1; h /= 2) {
            for (int m = 0; m < h / 2; m++) {
                lane[m] = lane[2 * m] + lane[2 * m + 1];
            }
        }
        return lane[0];
    }
}
