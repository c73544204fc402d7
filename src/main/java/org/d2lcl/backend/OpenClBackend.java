package org.d2lcl.backend;

import java.util.List;
import org.d2lcl.Loss;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;
import org.d2lcl.kernels.ClipGradNormKernel;
import org.d2lcl.kernels.DeviceRequirements;
import org.d2lcl.kernels.GatherKernel;
import org.d2lcl.kernels.LinregEpochKernel;
import org.d2lcl.kernels.LinregStepKernel;
import org.d2lcl.kernels.LinregSweepKernel;
import org.d2lcl.kernels.LossGradKernel;
import org.d2lcl.kernels.LossKernel;
import org.d2lcl.kernels.MatmulKernel;
import org.d2lcl.kernels.MomentumKernel;
import org.d2lcl.kernels.PhiloxKernel;
import org.d2lcl.kernels.ReduceKernel;
import org.d2lcl.kernels.SgdKernel;
import org.d2lcl.kernels.SquaredLossKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.Context;

/**
 * The OpenCL backend: one context and in-order queue on one device; each operation enqueues the
 * kernel of the same name from {@code kernels/}. Programs are built on first use and kept for the
 * backend's lifetime.
 */
public final class OpenClBackend extends BaseBackend<OpenClBackend.BufferTensor, OpenClBackend.BufferIndices> {
    private final Context context;
    private GatherKernel gather;
    private PhiloxKernel philox;
    private MatmulKernel matmul;
    private SquaredLossKernel squaredLoss;
    private LossGradKernel lossGrad;
    private LossKernel loss;
    private ReduceKernel reduce;
    private SgdKernel sgd;
    private MomentumKernel momentum;
    private ClipGradNormKernel clipGradNorm;
    private LinregStepKernel linregStep;
    private LinregEpochKernel linregEpoch;
    private LinregSweepKernel linregSweep;

    /**
     * Opens a context and queue on {@code device}.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the device lacks what the kernels need
     *     ({@link DeviceRequirements}), before anything is created on it
     */
    public OpenClBackend(ClDevice device) {
        super(BufferTensor.class, BufferIndices.class);
        DeviceRequirements.check(DeviceRequirements.Facts.of(device));
        this.context = Context.create(device);
    }

    public Context context() {
        return context;
    }

    public ClDevice device() {
        return context.device();
    }

    @Override
    public String description() {
        return context.device().description();
    }

    @Override
    public void checkCapacity(long... floats) {
        checkOpen();
        context.checkAllocations(floats, Float.BYTES, "floats");
    }

    @Override
    public Tensor zeros(int rows, int cols) {
        BufferTensor t = allocate(rows, cols);
        t.buffer.fill(0f, t.size());
        return t;
    }

    @Override
    public Tensor empty(int rows, int cols) {
        return allocate(rows, cols);
    }

    @Override
    public Tensor tensor(float[] data, int rows, int cols) {
        BufferTensor t = allocate(rows, cols);
        try {
            write(t, data);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private BufferTensor allocate(int rows, int cols) {
        checkOpen();
        checkShape(rows, cols, Integer.MAX_VALUE);
        return new BufferTensor(this, context.floats((long) rows * cols), rows, cols, true);
    }

    @Override
    public void write(Tensor dst, float[] src) {
        BufferTensor t = own(dst);
        if (src.length != t.size()) {
            throw new ShapeException(src.length + " values for a " + t.shape() + " tensor: exactly " + t.size()
                    + " are needed");
        }
        t.buffer.write(src);
    }

    @Override
    public float[] read(Tensor src) {
        BufferTensor t = own(src);
        float[] out = new float[(int) t.size()];
        t.buffer.read(out);
        return out;
    }

    @Override
    public Staging staging(int floats) {
        checkOpen();
        context.checkAllocation(floats, Float.BYTES, "floats");
        return new ClStaging(java.nio.ByteBuffer.allocateDirect(floats * Float.BYTES)
                .order(java.nio.ByteOrder.nativeOrder()));
    }

    /**
     * Staging as direct host memory, copied by a blocking write on the context's second queue. Not a
     * mapped driver buffer: JOCL waits for every unmap on a thread of its own, and a driver that is
     * not thread-safe (Oclgrind 21.10) can crash when that thread and the caller's call it together.
     */
    private record ClStaging(java.nio.ByteBuffer bytes) implements Staging {
        @Override
        public java.nio.FloatBuffer floats() {
            return bytes.asFloatBuffer();
        }

        @Override
        public void close() {
            // heap-managed direct memory: freed with the buffer
        }
    }

    @Override
    public void upload(Tensor dst, Staging src) {
        BufferTensor t = own(dst);
        if (!(src instanceof ClStaging staging)) {
            throw new IllegalArgumentException("upload: the staging area is not this backend's");
        }
        t.buffer.writeOnTransfers(staging.bytes(), t.size() * Float.BYTES);
    }

    @Override
    public Fence marker() {
        checkOpen();
        return new ClFence(context.marker());
    }

    /** An OpenCL event as a {@link Fence}. */
    private record ClFence(org.d2lcl.opencl.Event event) implements Fence {
        @Override
        public void await() {
            event.await();
        }

        @Override
        public void close() {
            event.close();
        }
    }

    @Override
    public Indices indices(int length) {
        checkOpen();
        return new BufferIndices(this, context.ints(length), length);
    }

    @Override
    public void write(Indices dst, int[] src) {
        BufferIndices idx = own(dst);
        if (src.length != idx.length) {
            throw new ShapeException("write: " + src.length + " indices into a vector of " + idx.length);
        }
        idx.buffer.write(src);
    }

    @Override
    public int[] read(Indices src) {
        BufferIndices idx = own(src);
        int[] out = new int[idx.length];
        idx.buffer.read(out);
        return out;
    }

    @Override
    void copyImpl(BufferTensor dst, int row, BufferTensor src) {
        dst.buffer.copyFrom(src.buffer, (long) row * dst.cols * Float.BYTES, src.size() * Float.BYTES);
    }

    @Override
    void gatherImpl(BufferTensor xOut, BufferTensor yOut, BufferTensor x, BufferTensor y, BufferIndices idx,
            int start) {
        if (gather == null) {
            gather = new GatherKernel(context);
        }
        gather.gather(xOut.buffer, yOut.buffer, x.buffer, y.buffer, idx.buffer, start, xOut.rows, x.cols);
    }

    @Override
    void onlineBatchImpl(BufferTensor x, BufferTensor y, long seed, int step, float w, float b, float noiseStd,
            float xLo, float xHi) {
        if (philox == null) {
            philox = new PhiloxKernel(context);
        }
        philox.onlineBatch(x.buffer, y.buffer, x.rows, seed, step, w, b, noiseStd, xLo, xHi);
    }

    @Override
    void syntheticDataImpl(BufferTensor x, BufferTensor y, float[] trueW, float trueB, long seed) {
        if (philox == null) {
            philox = new PhiloxKernel(context);
        }
        try (Buffer w = context.floats(trueW.length)) { // released once the kernel has run
            w.write(trueW);
            philox.syntheticData(x.buffer, y.buffer, w, x.rows, x.cols, trueB, seed);
        }
    }

    @Override
    void matmulImpl(BufferTensor c, BufferTensor a, BufferTensor b, BufferTensor bias) {
        if (matmul == null) {
            matmul = new MatmulKernel(context);
        }
        matmul.matmul(c.buffer, a.buffer, b.buffer, bias == null ? null : bias.buffer, a.rows, a.cols, b.cols);
    }

    @Override
    void squaredLossImpl(BufferTensor l, BufferTensor yHat, BufferTensor y) {
        if (squaredLoss == null) {
            squaredLoss = new SquaredLossKernel(context);
        }
        squaredLoss.squaredLoss(l.buffer, yHat.buffer, y.buffer, (int) l.size());
    }

    @Override
    void lossGradImpl(BufferTensor dw, BufferTensor db, BufferTensor x, BufferTensor yHat, BufferTensor y) {
        if (lossGrad == null) {
            lossGrad = new LossGradKernel(context);
        }
        lossGrad.lossGrad(dw.buffer, db.buffer, x.buffer, yHat.buffer, y.buffer, x.rows, x.cols);
    }

    @Override
    void lossImpl(Loss kind, BufferTensor l, BufferTensor yHat, BufferTensor y, float delta) {
        if (loss == null) {
            loss = new LossKernel(context);
        }
        loss.loss(kind, l.buffer, yHat.buffer, y.buffer, (int) l.size(), delta);
    }

    @Override
    void lossResidualImpl(Loss kind, BufferTensor r, BufferTensor yHat, BufferTensor y, float delta) {
        if (loss == null) {
            loss = new LossKernel(context);
        }
        loss.lossResidual(kind, r.buffer, yHat.buffer, y.buffer, (int) r.size(), delta);
    }

    @Override
    void residualGradImpl(BufferTensor dw, BufferTensor db, BufferTensor x, BufferTensor r) {
        if (lossGrad == null) {
            lossGrad = new LossGradKernel(context);
        }
        lossGrad.residualGrad(dw.buffer, db.buffer, x.buffer, r.buffer, x.rows, x.cols);
    }

    @Override
    void sumImpl(BufferTensor out, BufferTensor x) {
        if (reduce == null) {
            reduce = new ReduceKernel(context);
        }
        reduce.sum(out.buffer, x.buffer, (int) x.size());
    }

    @Override
    void sgdImpl(BufferTensor p, BufferTensor g, float lr, int batchSize) {
        if (sgd == null) {
            sgd = new SgdKernel(context);
        }
        sgd.sgd(p.buffer, g.buffer, lr, batchSize, (int) p.size());
    }

    @Override
    void momentumImpl(BufferTensor p, BufferTensor v, BufferTensor g, float lr, float mu, int batchSize,
            boolean first) {
        if (momentum == null) {
            momentum = new MomentumKernel(context);
        }
        momentum.momentum(p.buffer, v.buffer, g.buffer, lr, mu, batchSize, first, (int) p.size());
    }

    @Override
    void clipGradNormImpl(BufferTensor norm, BufferTensor dw, BufferTensor db, float maxNorm) {
        if (clipGradNorm == null) {
            clipGradNorm = new ClipGradNormKernel(context);
        }
        clipGradNorm.clipGradNorm(norm.buffer, dw.buffer, db.buffer, maxNorm, (int) dw.size(), (int) db.size());
    }

    @Override
    void linregStepImpl(BufferTensor w, BufferTensor b, BufferTensor v, BufferTensor running, BufferTensor x,
            BufferTensor y, BufferIndices idx, int start, int count, StepRule rule, boolean first) {
        if (linregStep == null) {
            linregStep = new LinregStepKernel(context);
        }
        linregStep.step(w.buffer, b.buffer, buffer(v), buffer(running), x.buffer, y.buffer, idx.buffer, start, count,
                rule, first, x.cols);
    }

    @Override
    void linregEpochImpl(BufferTensor w, BufferTensor b, BufferTensor v, BufferTensor running, BufferTensor lossSum,
            BufferIndices status, BufferTensor x, BufferTensor y, BufferIndices idx, StepRule rule, boolean first) {
        if (linregEpoch == null) {
            linregEpoch = new LinregEpochKernel(context);
        }
        linregEpoch.epoch(w.buffer, b.buffer, buffer(v), buffer(running), lossSum.buffer, status.buffer, x.buffer,
                y.buffer, idx.buffer, rule, first, x.rows, x.cols);
    }

    @Override
    void linregEpochStepsImpl(BufferTensor w, BufferTensor b, BufferTensor v, BufferTensor running,
            BufferIndices status, BufferTensor x, BufferTensor y, BufferIndices idx, int count, StepRule rule,
            boolean first, int step0) {
        epochKernel().steps(w.buffer, b.buffer, buffer(v), buffer(running), status.buffer, x.buffer, y.buffer,
                idx.buffer, rule, first, step0, count, x.cols);
    }

    /** The epoch kernel's lanes (a float's bits in each int). */
    @Override
    int epochLossWords(int n, int d, StepRule rule) {
        return epochKernel().lanes(n, d, rule);
    }

    @Override
    void linregEpochLossImpl(BufferTensor lossSum, BufferIndices state, BufferTensor w, BufferTensor b, BufferTensor x,
            BufferTensor y, StepRule rule, int row, int n) {
        epochKernel().loss(lossSum.buffer, state.buffer, w.buffer, b.buffer, x.buffer, y.buffer, rule, row, x.rows, n,
                x.cols);
    }

    private LinregEpochKernel epochKernel() {
        if (linregEpoch == null) {
            linregEpoch = new LinregEpochKernel(context);
        }
        return linregEpoch;
    }

    @Override
    void linregSweepImpl(BufferTensor w, BufferTensor b, BufferTensor v, BufferTensor running, BufferTensor lossSum,
            BufferIndices status, BufferTensor x, BufferTensor y, BufferIndices idx, List<RunEpoch> runs) {
        if (linregEpoch == null) {
            linregEpoch = new LinregEpochKernel(context);
        }
        if (linregSweep == null) {
            linregSweep = new LinregSweepKernel(context, linregEpoch);
        }
        linregSweep.sweep(w.buffer, b.buffer, buffer(v), buffer(running), lossSum.buffer, status.buffer, x.buffer,
                y.buffer, idx.buffer, runs, x.cols);
    }

    /** The buffer of a tensor that may be absent. */
    private static Buffer buffer(BufferTensor t) {
        return t == null ? null : t.buffer;
    }

    @Override
    public void finish() {
        checkOpen();
        context.finish();
    }

    @Override
    public void close() {
        markClosed();
        context.close();
    }

    static final class BufferTensor extends ViewableTensor {
        final Buffer buffer;
        private final boolean owner;

        BufferTensor(OpenClBackend backend, Buffer buffer, int rows, int cols, boolean owner) {
            super(backend, rows, cols);
            this.buffer = buffer;
            this.owner = owner;
        }

        private BufferTensor(BufferTensor of, int rows) {
            super(of, rows);
            this.buffer = of.buffer;
            this.owner = false;
        }

        @Override
        Tensor view(int rows) {
            return new BufferTensor(this, rows);
        }

        /** Marks the tensor closed, and frees its buffer when it owns one (a view does not). */
        @Override
        public void close() {
            super.close();
            if (owner) {
                buffer.close();
            }
        }
    }

    static final class BufferIndices extends BaseIndices {
        final Buffer buffer;
        final int length;

        BufferIndices(OpenClBackend backend, Buffer buffer, int length) {
            super(backend, length);
            this.buffer = buffer;
            this.length = length;
        }

        /** Marks the vector closed and frees its buffer. */
        @Override
        public void close() {
            super.close();
            buffer.close();
        }
    }
}
