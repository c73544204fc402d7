package org.d2lcl.backend;

import java.util.Arrays;
import java.util.List;
import org.d2lcl.Loss;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;

/** The pure-Java backend: every operation is the {@link Reference} loop over Java arrays. */
public final class JavaBackend extends BaseBackend<JavaBackend.ArrayTensor, JavaBackend.ArrayIndices> {

    public JavaBackend() {
        super(ArrayTensor.class, ArrayIndices.class);
    }

    @Override
    public String description() {
        return "Java reference backend (CPU, no OpenCL)";
    }

    @Override
    public void checkCapacity(long... floats) {
        checkOpen();
        for (long count : floats) {
            if (count > Integer.MAX_VALUE - 8) {
                throw new ShapeException("a tensor of " + count + " floats: a Java array holds at most "
                        + (Integer.MAX_VALUE - 8));
            }
        }
    }

    @Override
    public Tensor zeros(int rows, int cols) {
        checkOpen();
        checkShape(rows, cols, Integer.MAX_VALUE - 8);
        return new ArrayTensor(this, new float[rows * cols], rows, cols);
    }

    @Override
    public Tensor empty(int rows, int cols) {
        return zeros(rows, cols); // a Java array is zeroed anyway
    }

    @Override
    public Tensor tensor(float[] data, int rows, int cols) {
        checkOpen();
        checkShape(rows, cols, Integer.MAX_VALUE - 8);
        checkLength(data.length, rows, cols);
        return new ArrayTensor(this, data.clone(), rows, cols);
    }

    @Override
    public void write(Tensor dst, float[] src) {
        ArrayTensor t = own(dst);
        checkLength(src.length, t.rows, t.cols);
        System.arraycopy(src, 0, t.data, 0, src.length);
    }

    @Override
    public float[] read(Tensor src) {
        ArrayTensor t = own(src);
        return Arrays.copyOf(t.data, t.rows * t.cols);
    }

    @Override
    public Staging staging(int floats) {
        checkOpen();
        java.nio.FloatBuffer buffer = java.nio.FloatBuffer.allocate(floats);
        return new Staging() {
            @Override
            public java.nio.FloatBuffer floats() {
                return buffer;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void upload(Tensor dst, Staging src) {
        ArrayTensor t = own(dst);
        src.floats().get(0, t.data, 0, t.rows * t.cols);
    }

    @Override
    public Fence marker() {
        checkOpen();
        return Fence.PASSED;
    }

    @Override
    public Indices indices(int length) {
        checkOpen();
        return new ArrayIndices(this, new int[length]);
    }

    @Override
    public void write(Indices dst, int[] src) {
        ArrayIndices idx = own(dst);
        if (src.length != idx.values.length) {
            throw new ShapeException("write: " + src.length + " indices into a vector of " + idx.values.length);
        }
        System.arraycopy(src, 0, idx.values, 0, src.length);
    }

    @Override
    public int[] read(Indices src) {
        return own(src).values.clone();
    }

    @Override
    void copyImpl(ArrayTensor dst, int row, ArrayTensor src) {
        System.arraycopy(src.data, 0, dst.data, row * dst.cols, src.rows * src.cols);
    }

    @Override
    void gatherImpl(ArrayTensor xOut, ArrayTensor yOut, ArrayTensor x, ArrayTensor y, ArrayIndices idx, int start) {
        Reference.gather(xOut.data, yOut.data, x.data, y.data, idx.values, start, xOut.rows, x.cols);
    }

    @Override
    void onlineBatchImpl(ArrayTensor x, ArrayTensor y, long seed, int step, float w, float b, float noiseStd,
            float xLo, float xHi) {
        Reference.onlineBatch(x.data, y.data, x.rows, seed, step, w, b, noiseStd, xLo, xHi);
    }

    @Override
    void syntheticDataImpl(ArrayTensor x, ArrayTensor y, float[] trueW, float trueB, long seed) {
        Reference.syntheticData(x.data, y.data, trueW, x.rows, x.cols, trueB, seed);
    }

    @Override
    void matmulImpl(ArrayTensor c, ArrayTensor a, ArrayTensor b, ArrayTensor bias) {
        Reference.matmul(c.data, a.data, b.data, bias == null ? null : bias.data, a.rows, a.cols, b.cols);
    }

    @Override
    void squaredLossImpl(ArrayTensor l, ArrayTensor yHat, ArrayTensor y) {
        Reference.squaredLoss(l.data, yHat.data, y.data, l.rows * l.cols);
    }

    @Override
    void lossGradImpl(ArrayTensor dw, ArrayTensor db, ArrayTensor x, ArrayTensor yHat, ArrayTensor y) {
        Reference.lossGrad(dw.data, db.data, x.data, yHat.data, y.data, x.rows, x.cols);
    }

    @Override
    void lossImpl(Loss kind, ArrayTensor l, ArrayTensor yHat, ArrayTensor y, float delta) {
        Reference.loss(kind, l.data, yHat.data, y.data, l.rows * l.cols, delta);
    }

    @Override
    void lossResidualImpl(Loss kind, ArrayTensor r, ArrayTensor yHat, ArrayTensor y, float delta) {
        Reference.lossResidual(kind, r.data, yHat.data, y.data, r.rows * r.cols, delta);
    }

    @Override
    void residualGradImpl(ArrayTensor dw, ArrayTensor db, ArrayTensor x, ArrayTensor r) {
        Reference.residualGrad(dw.data, db.data, x.data, r.data, x.rows, x.cols);
    }

    @Override
    void sumImpl(ArrayTensor out, ArrayTensor x) {
        out.data[0] = Reference.sum(x.data, x.rows * x.cols);
    }

    @Override
    void sgdImpl(ArrayTensor p, ArrayTensor g, float lr, int batchSize) {
        Reference.sgd(p.data, g.data, lr, batchSize, p.rows * p.cols);
    }

    @Override
    void momentumImpl(ArrayTensor p, ArrayTensor v, ArrayTensor g, float lr, float mu, int batchSize, boolean first) {
        Reference.momentum(p.data, v.data, g.data, lr, mu, batchSize, first, p.rows * p.cols);
    }

    @Override
    void clipGradNormImpl(ArrayTensor norm, ArrayTensor dw, ArrayTensor db, float maxNorm) {
        Reference.clipGradNorm(norm.data, dw.data, db.data, maxNorm, dw.rows * dw.cols, db.rows * db.cols);
    }

    @Override
    void linregStepImpl(ArrayTensor w, ArrayTensor b, ArrayTensor v, ArrayTensor running, ArrayTensor x,
            ArrayTensor y, ArrayIndices idx, int start, int count, StepRule rule, boolean first) {
        Reference.linregStep(w.data, b.data, data(v), data(running), x.data, y.data, idx.values, start, count, rule,
                first, x.cols);
    }

    @Override
    void linregEpochImpl(ArrayTensor w, ArrayTensor b, ArrayTensor v, ArrayTensor running, ArrayTensor lossSum,
            ArrayIndices status, ArrayTensor x, ArrayTensor y, ArrayIndices idx, StepRule rule, boolean first) {
        Reference.linregEpoch(w.data, b.data, data(v), data(running), lossSum.data, status.values, x.data, y.data,
                idx.values, rule, first, x.rows, x.cols);
    }

    @Override
    void linregEpochStepsImpl(ArrayTensor w, ArrayTensor b, ArrayTensor v, ArrayTensor running, ArrayIndices status,
            ArrayTensor x, ArrayTensor y, ArrayIndices idx, int count, StepRule rule, boolean first, int step0) {
        Reference.linregEpochSteps(w.data, b.data, data(v), data(running), status.values, x.data, y.data, idx.values,
                count, rule, first, step0, x.cols);
    }

    /** The sum in double, as {@link Reference#linregEpoch} adds it: its 64 bits in two words. */
    @Override
    int epochLossWords(int n, int d, StepRule rule) {
        return 2;
    }

    @Override
    void linregEpochLossImpl(ArrayTensor lossSum, ArrayIndices state, ArrayTensor w, ArrayTensor b, ArrayTensor x,
            ArrayTensor y, StepRule rule, int row, int n) {
        Reference.linregEpochLoss(lossSum.data, state.values, w.data, b.data, x.data, y.data, rule, row, x.rows, n,
                x.cols);
    }

    /**
     * The runs on the common fork-join pool, one task each: they share no parameter, and each is
     * {@link Reference#linregSweep}'s loop, so the bits do not depend on the threads.
     */
    @Override
    void linregSweepImpl(ArrayTensor w, ArrayTensor b, ArrayTensor v, ArrayTensor running, ArrayTensor lossSum,
            ArrayIndices status, ArrayTensor x, ArrayTensor y, ArrayIndices idx, List<RunEpoch> runs) {
        runs.parallelStream().forEach(e -> Reference.linregSweep(w.data, b.data, data(v), data(running), lossSum.data,
                status.values, x.data, y.data, idx.values, e, x.cols));
    }

    /** The array of a tensor that may be absent. */
    private static float[] data(ArrayTensor t) {
        return t == null ? null : t.data;
    }

    @Override
    public void finish() {
        checkOpen();
    }

    /** Marks the backend closed, as an OpenCL one is after {@code close()}: every later call throws. */
    @Override
    public void close() {
        markClosed();
    }

    private static void checkLength(int length, int rows, int cols) {
        if (length != rows * cols) {
            throw new ShapeException(length + " values for a " + rows + "x" + cols + " tensor: exactly "
                    + rows * cols + " are needed");
        }
    }

    static final class ArrayTensor extends ViewableTensor {
        final float[] data;

        ArrayTensor(JavaBackend backend, float[] data, int rows, int cols) {
            super(backend, rows, cols);
            this.data = data;
        }

        private ArrayTensor(ArrayTensor of, int rows) {
            super(of, rows);
            this.data = of.data;
        }

        @Override
        Tensor view(int rows) {
            return new ArrayTensor(this, rows);
        }
    }

    static final class ArrayIndices extends BaseIndices {
        final int[] values;

        ArrayIndices(JavaBackend backend, int[] values) {
            super(backend, values.length);
            this.values = values;
        }
    }
}
