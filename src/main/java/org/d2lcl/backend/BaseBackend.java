package org.d2lcl.backend;

import java.util.Arrays;
import java.util.List;
import org.d2lcl.Loss;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;

/**
 * Checks the shapes of every operation once, then hands the backend's own tensor type to the
 * implementation, which trusts them. Every operation runs inside the backend's {@link UseGuard}, so
 * two threads inside one backend at once fail instead of racing on its kernels' arguments.
 */
abstract class BaseBackend<T extends Tensor, I extends Indices> implements Backend {
    private final Class<T> tensorType;
    private final Class<I> indicesType;
    private final UseGuard guard = new UseGuard("Backend");
    private volatile boolean closed;

    BaseBackend(Class<T> tensorType, Class<I> indicesType) {
        this.tensorType = tensorType;
        this.indicesType = indicesType;
    }

    /** {@code dst}'s rows from {@code row} on = {@code src}. */
    abstract void copyImpl(T dst, int row, T src);

    abstract void gatherImpl(T xOut, T yOut, T x, T y, I idx, int start);

    abstract void onlineBatchImpl(T x, T y, long seed, int step, float w, float b, float noiseStd, float xLo,
            float xHi);

    abstract void syntheticDataImpl(T x, T y, float[] trueW, float trueB, long seed);

    abstract void matmulImpl(T c, T a, T b, T bias);

    abstract void squaredLossImpl(T l, T yHat, T y);

    abstract void lossGradImpl(T dw, T db, T x, T yHat, T y);

    abstract void lossImpl(Loss kind, T l, T yHat, T y, float delta);

    abstract void lossResidualImpl(Loss kind, T r, T yHat, T y, float delta);

    abstract void residualGradImpl(T dw, T db, T x, T r);

    abstract void sumImpl(T out, T x);

    abstract void sgdImpl(T p, T g, float lr, int batchSize);

    abstract void momentumImpl(T p, T v, T g, float lr, float mu, int batchSize, boolean first);

    abstract void clipGradNormImpl(T norm, T dw, T db, float maxNorm);

    abstract void linregStepImpl(T w, T b, T v, T running, T x, T y, I idx, int start, int count, StepRule rule,
            boolean first);

    abstract void linregEpochImpl(T w, T b, T v, T running, T lossSum, I status, T x, T y, I idx, StepRule rule,
            boolean first);

    abstract void linregEpochStepsImpl(T w, T b, T v, T running, I status, T x, T y, I idx, int count, StepRule rule,
            boolean first, int step0);

    abstract void linregEpochLossImpl(T lossSum, I state, T w, T b, T x, T y, StepRule rule, int row, int n);

    abstract void linregSweepImpl(T w, T b, T v, T running, T lossSum, I status, T x, T y, I idx, List<RunEpoch> runs);

    @Override
    public final void copy(Tensor dst, Tensor src) {
        checkOpen();
        require(sameShape(dst, src), "copy", "dst " + dst.shape() + ", src " + src.shape(),
                "dst and src must have one shape");
        guarded(() -> copyImpl(own(dst), 0, own(src)));
    }

    @Override
    public final void copyRows(Tensor dst, int row, Tensor src) {
        checkOpen();
        require(dst.cols() == src.cols() && row >= 0 && row <= dst.rows() - src.rows(), "copyRows",
                "dst " + dst.shape() + ", row " + row + ", src " + src.shape(),
                "src's rows must fit in dst from that row, with as many columns");
        guarded(() -> copyImpl(own(dst), row, own(src)));
    }

    @Override
    public final void gather(Tensor xOut, Tensor yOut, Tensor x, Tensor y, Indices idx, int start) {
        checkOpen();
        int count = xOut.rows();
        require(xOut.cols() == x.cols() && yOut.rows() == count && yOut.cols() == 1 && y.rows() == x.rows()
                && y.cols() == 1, "gather", "xOut " + xOut.shape() + ", yOut " + yOut.shape() + ", x " + x.shape()
                + ", y " + y.shape(), "xOut must be count x d, yOut count x 1, x n x d and y n x 1");
        if (start < 0 || start + (long) count > idx.length()) {
            throw new ShapeException("gather: rows [" + start + ", " + (start + (long) count) + ") of an index vector of "
                    + idx.length() + ": the range must lie inside it");
        }
        guarded(() -> gatherImpl(own(xOut), own(yOut), own(x), own(y), own(idx), start));
    }

    @Override
    public final void onlineBatch(Tensor x, Tensor y, long seed, int step, float w, float b, float noiseStd,
            float xLo, float xHi) {
        checkOpen();
        require(x.cols() == 1 && y.cols() == 1 && x.rows() == y.rows(), "onlineBatch",
                "x " + x.shape() + ", y " + y.shape(), "x and y must both be n x 1");
        guarded(() -> onlineBatchImpl(own(x), own(y), seed, step, w, b, noiseStd, xLo, xHi));
    }

    @Override
    public final void syntheticData(Tensor x, Tensor y, float[] trueW, float trueB, long seed) {
        checkOpen();
        require(x.cols() == trueW.length && y.rows() == x.rows() && y.cols() == 1, "syntheticData",
                "x " + x.shape() + ", y " + y.shape() + ", trueW of " + trueW.length,
                "x must be n x d, y n x 1 and trueW hold d weights");
        guarded(() -> syntheticDataImpl(own(x), own(y), trueW, trueB, seed));
    }

    @Override
    public final void matmul(Tensor c, Tensor a, Tensor b, Tensor bias) {
        checkOpen();
        require(a.cols() == b.rows(), "matmul", "a " + a.shape() + " · b " + b.shape(),
                "the inner dimensions must agree (a.cols == b.rows)");
        require(c.rows() == a.rows() && c.cols() == b.cols(), "matmul",
                "c " + c.shape() + " = a " + a.shape() + " · b " + b.shape(),
                "c must be a.rows x b.cols = " + a.rows() + "x" + b.cols());
        if (bias != null) {
            require(bias.size() == c.cols(), "matmul", "bias " + bias.shape() + " for c " + c.shape(),
                    "bias must hold c.cols = " + c.cols() + " values");
        }
        guarded(() -> matmulImpl(own(c), own(a), own(b), bias == null ? null : own(bias)));
    }

    @Override
    public final void squaredLoss(Tensor l, Tensor yHat, Tensor y) {
        checkOpen();
        require(sameShape(l, yHat) && sameShape(yHat, y), "squaredLoss",
                "l " + l.shape() + ", yHat " + yHat.shape() + ", y " + y.shape(), "all three must have one shape");
        guarded(() -> squaredLossImpl(own(l), own(yHat), own(y)));
    }

    @Override
    public final void lossGrad(Tensor dw, Tensor db, Tensor x, Tensor yHat, Tensor y) {
        checkOpen();
        int n = x.rows();
        int d = x.cols();
        require(yHat.rows() == n && yHat.cols() == 1 && y.rows() == n && y.cols() == 1 && dw.rows() == d
                && dw.cols() == 1 && db.size() == 1, "lossGrad",
                "dw " + dw.shape() + ", db " + db.shape() + ", x " + x.shape() + ", yHat " + yHat.shape() + ", y "
                        + y.shape(), "x must be n x d, yHat and y n x 1, dw d x 1 and db 1 x 1");
        guarded(() -> lossGradImpl(own(dw), own(db), own(x), own(yHat), own(y)));
    }

    @Override
    public final void loss(Loss kind, Tensor l, Tensor yHat, Tensor y, float delta) {
        checkOpen();
        checkLoss("loss", kind, l, yHat, y, delta);
        guarded(() -> lossImpl(kind, own(l), own(yHat), own(y), delta));
    }

    @Override
    public final void lossResidual(Loss kind, Tensor r, Tensor yHat, Tensor y, float delta) {
        checkOpen();
        checkLoss("lossResidual", kind, r, yHat, y, delta);
        guarded(() -> lossResidualImpl(kind, own(r), own(yHat), own(y), delta));
    }

    @Override
    public final void residualGrad(Tensor dw, Tensor db, Tensor x, Tensor r) {
        checkOpen();
        int n = x.rows();
        int d = x.cols();
        require(r.rows() == n && r.cols() == 1 && dw.rows() == d && dw.cols() == 1 && db.size() == 1,
                "residualGrad", "dw " + dw.shape() + ", db " + db.shape() + ", x " + x.shape() + ", r " + r.shape(),
                "x must be n x d, r n x 1, dw d x 1 and db 1 x 1");
        guarded(() -> residualGradImpl(own(dw), own(db), own(x), own(r)));
    }

    private static void checkLoss(String op, Loss kind, Tensor out, Tensor yHat, Tensor y, float delta) {
        if (kind == null) {
            throw new IllegalArgumentException(op + ": the loss kind is null; name one of " + Arrays.toString(Loss.values()));
        }
        require(sameShape(out, yHat) && sameShape(yHat, y), op,
                "out " + out.shape() + ", yHat " + yHat.shape() + ", y " + y.shape(), "all three must have one shape");
        if (out.size() > Integer.MAX_VALUE) {
            throw new ShapeException(op + ": " + out.shape() + " holds " + out.size() + " values; at most "
                    + Integer.MAX_VALUE + " are allowed");
        }
        if (kind == Loss.HUBER && !(delta > 0 && Float.isFinite(delta))) {
            throw new IllegalArgumentException(op + ": Huber delta = " + delta + "; it must be finite and > 0");
        }
    }

    @Override
    public final void sum(Tensor out, Tensor x) {
        checkOpen();
        require(out.size() == 1, "sum", "out " + out.shape(), "out must be 1x1");
        if (x.size() > Integer.MAX_VALUE) {
            throw new ShapeException("sum: x " + x.shape() + " holds " + x.size() + " values; at most "
                    + Integer.MAX_VALUE + " are allowed");
        }
        guarded(() -> sumImpl(own(out), own(x)));
    }

    @Override
    public final void sgd(Tensor p, Tensor g, float lr, int batchSize) {
        checkOpen();
        require(sameShape(p, g), "sgd", "p " + p.shape() + ", g " + g.shape(), "p and g must have one shape");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("sgd: batchSize = " + batchSize + "; it must be > 0");
        }
        guarded(() -> sgdImpl(own(p), own(g), lr, batchSize));
    }

    @Override
    public final void momentum(Tensor p, Tensor v, Tensor g, float lr, float mu, int batchSize, boolean first) {
        checkOpen();
        require(sameShape(p, v) && sameShape(p, g), "momentum", "p " + p.shape() + ", v " + v.shape() + ", g "
                + g.shape(), "p, v and g must have one shape");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("momentum: batchSize = " + batchSize + "; it must be > 0");
        }
        guarded(() -> momentumImpl(own(p), own(v), own(g), lr, mu, batchSize, first));
    }

    @Override
    public final void clipGradNorm(Tensor norm, Tensor dw, Tensor db, float maxNorm) {
        checkOpen();
        require(norm.size() == 1, "clipGradNorm", "norm " + norm.shape(), "norm must be 1x1");
        if (dw.size() + db.size() > Integer.MAX_VALUE) {
            throw new ShapeException("clipGradNorm: dw " + dw.shape() + " and db " + db.shape() + " hold "
                    + (dw.size() + db.size()) + " values; at most " + Integer.MAX_VALUE + " are allowed");
        }
        if (!(maxNorm > 0) || Float.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm = " + maxNorm + "; it must be finite and > 0");
        }
        guarded(() -> clipGradNormImpl(own(norm), own(dw), own(db), maxNorm));
    }

    @Override
    public final void linregStep(Tensor w, Tensor b, Tensor v, Tensor running, Tensor x, Tensor y, Indices idx,
            int start, int count, StepRule rule, boolean first) {
        checkOpen();
        checkLinreg("linregStep", w, b, v, running, x, y, idx, rule);
        if (start < 0 || count < 0 || start + (long) count > idx.length()) {
            throw new ShapeException("linregStep: rows [" + start + ", " + (start + (long) count)
                    + ") of an index vector of " + idx.length() + ": the range must lie inside it");
        }
        guarded(() -> linregStepImpl(own(w), own(b), ownOrNull(v), ownOrNull(running), own(x), own(y), own(idx), start,
                count, rule, first));
    }

    @Override
    public final void linregEpoch(Tensor w, Tensor b, Tensor v, Tensor running, Tensor lossSum, Indices status,
            Tensor x, Tensor y, Indices idx, StepRule rule, boolean first) {
        checkOpen();
        checkLinreg("linregEpoch", w, b, v, running, x, y, idx, rule);
        require(lossSum.size() == 1 && status.length() == 1, "linregEpoch",
                "lossSum " + lossSum.shape() + ", status of " + status.length(), "lossSum must be 1x1 and status 1 long");
        guarded(() -> linregEpochImpl(own(w), own(b), ownOrNull(v), ownOrNull(running), own(lossSum), own(status),
                own(x), own(y), own(idx), rule, first));
    }

    @Override
    public final void linregEpochSteps(Tensor w, Tensor b, Tensor v, Tensor running, Indices status, Tensor x,
            Tensor y, Indices idx, int count, StepRule rule, boolean first, int step0) {
        checkOpen();
        checkLinreg("linregEpochSteps", w, b, v, running, x, y, idx, rule);
        require(status.length() == 1 && count >= 0 && count <= idx.length() && step0 >= 0, "linregEpochSteps",
                "status of " + status.length() + ", count " + count + ", step0 " + step0,
                "status must be 1 long, 0 <= count <= the rows, step0 >= 0");
        guarded(() -> linregEpochStepsImpl(own(w), own(b), ownOrNull(v), ownOrNull(running), own(status), own(x),
                own(y), own(idx), count, rule, first, step0));
    }

    @Override
    public final Indices epochLossState(int n, int d, StepRule rule) {
        checkOpen();
        int[] words = new int[1];
        guarded(() -> words[0] = epochLossWords(n, d, rule));
        return indices(words[0]);
    }

    /** The words of {@link #epochLossState}. */
    abstract int epochLossWords(int n, int d, StepRule rule);

    @Override
    public final void linregEpochLoss(Tensor lossSum, Indices state, Tensor w, Tensor b, Tensor x, Tensor y,
            StepRule rule, int row, int n) {
        checkOpen();
        int d = x.cols();
        require(lossSum.size() == 1 && w.rows() == d && w.cols() == 1 && b.size() == 1 && y.rows() == x.rows()
                && y.cols() == 1, "linregEpochLoss", "lossSum " + lossSum.shape() + ", w " + w.shape() + ", b "
                + b.shape() + ", x " + x.shape() + ", y " + y.shape(),
                "lossSum and b must be 1x1, x rows x d, w d x 1, y rows x 1");
        require(row >= 0 && row + (long) x.rows() <= n, "linregEpochLoss", "rows [" + row + ", "
                + (row + (long) x.rows()) + ") of " + n, "the chunk must lie inside the n rows");
        require(state.length() == epochLossWords(n, d, rule), "linregEpochLoss", "state of " + state.length(),
                "state must come from epochLossState(n, d, rule)");
        guarded(() -> linregEpochLossImpl(own(lossSum), own(state), own(w), own(b), own(x), own(y), rule, row, n));
    }

    @Override
    public final void linregSweep(Tensor w, Tensor b, Tensor v, Tensor running, Tensor lossSum, Indices status,
            Tensor x, Tensor y, Indices idx, List<RunEpoch> runs) {
        checkOpen();
        int d = x.cols();
        int count = w.rows();
        require(w.cols() == d && b.rows() == count && b.cols() == 1 && lossSum.rows() == count && lossSum.cols() == 1
                && status.length() == count && y.rows() == x.rows() && y.cols() == 1, "linregSweep",
                "w " + w.shape() + ", b " + b.shape() + ", lossSum " + lossSum.shape() + ", status of " + status.length()
                        + ", x " + x.shape() + ", y " + y.shape(),
                "x must be rows x d, y rows x 1, w runs x d, b and lossSum runs x 1, status runs long");
        if (runs.isEmpty()) {
            return;
        }
        String options = runs.get(0).rule().buildOptions();
        boolean[] seen = new boolean[count];
        for (RunEpoch e : runs) {
            StepRule rule = e.rule();
            if (!rule.buildOptions().equals(options)) {
                throw new IllegalArgumentException("linregSweep: run " + e.run() + " has the build options " +
                        rule.buildOptions() + ", the first run " + options + ": one launch takes one loss and optimizer");
            }
            if (e.run() >= count || seen[e.run()]) {
                throw new ShapeException("linregSweep: run " + e.run() + (e.run() >= count ? " of " + count
                        + " runs: the run must be below the number of rows of w" : " appears twice in one launch"));
            }
            seen[e.run()] = true;
            if ((long) e.row() + e.n() > x.rows() || (long) e.start() + e.n() > idx.length()) {
                throw new ShapeException("linregSweep: run " + e.run() + " has rows [" + e.row() + ", "
                        + ((long) e.row() + e.n()) + ") and a permutation at [" + e.start() + ", "
                        + ((long) e.start() + e.n()) + "): they must lie inside x (" + x.rows() + " rows) and idx ("
                        + idx.length() + ")");
            }
        }
        StepRule rule = runs.get(0).rule();
        if (rule.hasVelocity()) {
            require(v != null && v.rows() == count && v.cols() == d + 1, "linregSweep",
                    "v " + (v == null ? "null" : v.shape()), "momentum needs v, runs x (d + 1)");
        }
        if (rule.runningLoss()) {
            require(running != null && running.rows() == count && running.cols() == 1, "linregSweep",
                    "running " + (running == null ? "null" : running.shape()), "a running loss needs running, runs x 1");
        }
        List<RunEpoch> copy = List.copyOf(runs);
        guarded(() -> linregSweepImpl(own(w), own(b), ownOrNull(v), ownOrNull(running), own(lossSum), own(status),
                own(x), own(y), own(idx), copy));
    }

    private static void checkLinreg(String op, Tensor w, Tensor b, Tensor v, Tensor running, Tensor x, Tensor y,
            Indices idx, StepRule rule) {
        int n = x.rows();
        int d = x.cols();
        require(w.rows() == d && w.cols() == 1 && b.size() == 1 && y.rows() == n && y.cols() == 1
                && idx.length() == n, op, "w " + w.shape() + ", b " + b.shape() + ", x " + x.shape() + ", y "
                + y.shape() + ", idx of " + idx.length(), "x must be n x d, w d x 1, b 1x1, y n x 1, idx n long");
        if (rule.hasVelocity()) {
            require(v != null && v.size() == d + 1L, op, "v " + (v == null ? "null" : v.shape()),
                    "momentum needs v, (d + 1) x 1");
        }
        if (rule.runningLoss()) {
            require(running != null && running.size() == 1, op, "running " + (running == null ? "null" : running.shape()),
                    "a running loss needs running, 1 x 1");
        }
        if (rule.batchSize() <= 0) {
            throw new IllegalArgumentException(op + ": batchSize = " + rule.batchSize() + "; it must be > 0");
        }
    }

    /** {@link #own} of a tensor that may be absent. */
    private T ownOrNull(Tensor t) {
        return t == null ? null : own(t);
    }

    private static boolean sameShape(Tensor a, Tensor b) {
        return a.rows() == b.rows() && a.cols() == b.cols();
    }

    /**
     * Runs {@code op} holding the backend for the calling thread: a kernel's arguments are set and
     * it is launched before another thread can enter.
     */
    /** After {@link #close()}, nothing may reach the device: its objects are released. */
    final void markClosed() {
        closed = true;
    }

    /** @throws IllegalStateException when the backend is closed */
    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description() + " is closed: open a new backend (or Device)");
        }
    }

    /** A tensor or index vector that knows whether it was closed. */
    interface Closable {
        boolean isClosed();
    }

    private void guarded(Runnable op) {
        checkOpen();
        guard.enter();
        try {
            op.run();
        } finally {
            guard.exit();
        }
    }

    static void require(boolean ok, String op, String shapes, String rule) {
        if (!ok) {
            throw new ShapeException(op + ": " + shapes + ": " + rule);
        }
    }

    static void checkShape(int rows, int cols, long maxElements) {
        if (rows < 0 || cols < 0) {
            throw new ShapeException("shape " + rows + "x" + cols + ": rows and cols must be >= 0");
        }
        if ((long) rows * cols > maxElements) {
            throw new ShapeException("shape " + rows + "x" + cols + " holds " + (long) rows * cols
                    + " values; at most " + maxElements + " are allowed");
        }
    }

    final T own(Tensor t) {
        checkOpen();
        if (t instanceof Closable c && c.isClosed()) {
            throw new IllegalStateException("a closed " + t.shape() + " tensor was passed to " + description());
        }
        if (!tensorType.isInstance(t) || t.backend() != this) {
            throw new IllegalArgumentException("a tensor of " + t.backend().description()
                    + " was passed to " + description() + ": operands must live on the backend that runs the operation");
        }
        return tensorType.cast(t);
    }

    final I own(Indices idx) {
        checkOpen();
        if (idx instanceof Closable c && c.isClosed()) {
            throw new IllegalStateException("a closed index vector was passed to " + description());
        }
        if (!indicesType.isInstance(idx) || idx.backend() != this) {
            throw new IllegalArgumentException("indices of " + idx.backend().description()
                    + " were passed to " + description());
        }
        return indicesType.cast(idx);
    }
}
