package org.d2lcl.backend;

import java.util.List;
import org.d2lcl.Loss;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;

/**
 * The operations the d2l layer is written against, one per kernel, with two implementations:
 * {@link OpenClBackend} (the {@code kernels/*.cl} files) and {@link JavaBackend} (the
 * {@link Reference} loops). Arguments come output first, then inputs, then scalars; shapes are
 * checked here, once, and named in the {@link ShapeException} when they do not fit.
 *
 * <p>Operations are enqueued: on OpenCL they return before the device has run them, and only
 * {@link #read} waits. A backend and its tensors are used by one thread at a time: an operation
 * entered while another thread is inside one throws {@link ConcurrentUseException}.
 */
public interface Backend extends AutoCloseable {
    /** What runs the kernels, e.g. {@code pthread-haswell (Portable Computing Language, OpenCL 3.0)}. */
    String description();

    /** A zero-filled tensor. */
    Tensor zeros(int rows, int cols);

    /**
     * A tensor whose contents are undefined until an operation writes all of it ({@code torch.empty}):
     * no fill for data a kernel is about to draw ({@link #syntheticData}).
     */
    Tensor empty(int rows, int cols);

    /** A tensor holding {@code data} (row-major, {@code rows * cols} floats). */
    Tensor tensor(float[] data, int rows, int cols);

    /**
     * Checks, before anything is allocated, that tensors of these many floats can all be made:
     * each within the largest single allocation, together within the device's memory.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException naming the size asked for, the limit and the device
     */
    void checkCapacity(long... floats);

    /** Overwrites {@code dst} with {@code src} (exactly {@code dst.size()} floats). */
    void write(Tensor dst, float[] src);

    /** Waits for the queued work and returns the contents of {@code src}. */
    float[] read(Tensor src);

    /** Host memory of {@code floats} floats to {@link #upload} from. */
    Staging staging(int floats);

    /**
     * Copies {@code src}'s first {@code dst.size()} floats into {@code dst} beside the operations
     * enqueued so far, and returns with the copy done. The caller first passes the fence of the last
     * operation that reads {@code dst} ({@link #marker()}). (On OpenCL a blocking write on a second
     * queue, while the first runs; on the Java backend a copy.)
     */
    void upload(Tensor dst, Staging src);

    /** A fence passed once every operation enqueued so far has run. */
    Fence marker();

    /** An index vector of {@code length} ints, contents undefined until {@link #write(Indices, int[])}. */
    Indices indices(int length);

    void write(Indices dst, int[] src);

    /** Waits for the queued work and returns the contents of {@code src}. */
    int[] read(Indices src);

    /** {@code dst = src}, elementwise, on the device: nothing crosses to the host. */
    void copy(Tensor dst, Tensor src);

    /** {@code dst[row .. row + src.rows()) = src}, rows of as many columns, on the device. */
    void copyRows(Tensor dst, int row, Tensor src);

    /** {@code xOut = x[idx[start ..]]}, {@code yOut = y[idx[start ..]]}: a minibatch of {@code xOut.rows()} rows. */
    void gather(Tensor xOut, Tensor yOut, Tensor x, Tensor y, Indices idx, int start);

    /**
     * The online variant's fresh batch, drawn on the device from Philox4x32-10 ({@code philox.cl},
     * {@link Philox}): {@code x ~ U(xLo, xHi)} ({@code n x 1}) and {@code y = w x + b + noiseStd N(0, 1)},
     * the numbers of ({@code seed}, {@code step}) alone, the same bits on every backend.
     */
    void onlineBatch(Tensor x, Tensor y, long seed, int step, float w, float b, float noiseStd, float xLo, float xHi);

    /**
     * d2l's {@code synthetic_data(w, b, n)} drawn on the device from Philox4x32-10 ({@code philox.cl},
     * {@link Reference#syntheticData}): {@code x ~ N(0, 1)} ({@code n x d}) and
     * {@code y = x trueW + trueB + 0.01 N(0, 1)} ({@code n x 1}), the numbers of {@code seed} alone,
     * the same bits on every backend as {@code D2l.syntheticData}'s host arrays.
     */
    void syntheticData(Tensor x, Tensor y, float[] trueW, float trueB, long seed);

    /** {@code c = a · b (+ bias)}; {@code bias} ({@code 1 x c.cols()}) may be null. */
    void matmul(Tensor c, Tensor a, Tensor b, Tensor bias);

    /** {@code l = (yHat - y)^2 / 2}, elementwise. */
    void squaredLoss(Tensor l, Tensor yHat, Tensor y);

    /** {@code dw = x^T (yHat - y)}, {@code db = sum(yHat - y)}: the gradient of {@code sum(l)}. */
    void lossGrad(Tensor dw, Tensor db, Tensor x, Tensor yHat, Tensor y);

    /**
     * {@code l[i]} = the per-example loss {@code kind} of {@code yHat[i] - y[i]} ({@code loss.cl}),
     * elementwise; {@code delta} is Huber's threshold, ignored by the other losses.
     */
    void loss(Loss kind, Tensor l, Tensor yHat, Tensor y, float delta);

    /** {@code r[i] = dl[i]/dyHat[i]} for the loss {@code kind} ({@code loss.cl}'s {@code loss_residual}), elementwise. */
    void lossResidual(Loss kind, Tensor r, Tensor yHat, Tensor y, float delta);

    /** {@code dw = x^T r}, {@code db = sum(r)}: the gradient for a residual factor {@code r} from {@link #lossResidual}. */
    void residualGrad(Tensor dw, Tensor db, Tensor x, Tensor r);

    /** {@code out[0] = sum(x)} ({@code out} is {@code 1 x 1}). */
    void sum(Tensor out, Tensor x);

    /** {@code p -= lr * g / batchSize; g = 0}. */
    void sgd(Tensor p, Tensor g, float lr, int batchSize);

    /**
     * SGD with momentum, {@code torch.optim.SGD(params, lr, momentum=mu)} (dampening 0, no Nesterov),
     * in place: {@code v = g / batchSize} on the {@code first} step, else {@code v = mu * v + g / batchSize};
     * {@code p -= lr * v; g = 0} ({@code momentum.cl}). {@code batchSize = 1} leaves the gradient
     * undivided, as PyTorch does. The same bits on every backend ({@link Reference#momentum}).
     */
    void momentum(Tensor p, Tensor v, Tensor g, float lr, float mu, int batchSize, boolean first);

    /**
     * {@code norm[0] = torch.nn.utils.clip_grad_norm_([dw, db], maxNorm)}: the 2-norm of all the
     * values of {@code dw} and {@code db} together, and both scaled by
     * {@code maxNorm / (norm + 1e-6)} where that is below 1 ({@code clip_grad_norm.cl}). The same
     * bits on every backend ({@link Reference#clipGradNorm}).
     */
    void clipGradNorm(Tensor norm, Tensor dw, Tensor db, float maxNorm);

    /** The next {@code linregStep} with d2l's step ({@link StepRule#chapter}), no velocity, no running loss. */
    default void linregStep(Tensor w, Tensor b, Tensor x, Tensor y, Indices idx, int start, int count, float lr,
            int batchSize) {
        linregStep(w, b, null, null, x, y, idx, start, count, StepRule.chapter(lr, batchSize), false);
    }

    /**
     * One minibatch of training in one operation ({@code linreg_step.cl}): over rows
     * {@code idx[start .. start + count)} of {@code x} ({@code n x d}) and {@code y} ({@code n x 1}),
     * the residual factors {@code r = dl/dy_hat} of the rule's loss, the gradient {@code dw = x^T r},
     * {@code db = sum r}, and the rule's update of {@code w} and {@code b} in place (d2l's:
     * {@code w -= lr * dw / batchSize}). {@code v} ({@code (d + 1) x 1}, w's velocities then b's) is
     * needed for momentum only, else null; {@code running} (1 x 1) for {@link StepRule#runningLoss}
     * only, which adds the batch's loss before the update to it; {@code first}: whether this is the
     * run's first step. The parameters are the same bits on every backend ({@link Reference#linregStep}).
     */
    void linregStep(Tensor w, Tensor b, Tensor v, Tensor running, Tensor x, Tensor y, Indices idx, int start,
            int count, StepRule rule, boolean first);

    /** The next {@code linregEpoch} with d2l's step ({@link StepRule#chapter}), no velocity, no running loss. */
    default void linregEpoch(Tensor w, Tensor b, Tensor lossSum, Indices status, Tensor x, Tensor y, Indices idx,
            float lr, int batchSize) {
        linregEpoch(w, b, null, null, lossSum, status, x, y, idx, StepRule.chapter(lr, batchSize), false);
    }

    /**
     * A whole epoch in one operation ({@code linreg_epoch.cl}): {@link #linregStep} for every
     * minibatch of the rule's batch size of {@code idx} in order ({@code first} passed to the first),
     * then {@code lossSum[0]} = the sum of the rule's per-example losses over all rows with the final
     * parameters, and {@code status[0]} = 0, or 1 + the first step after which {@code w} or {@code b}
     * held a value that is not finite; with {@link StepRule#runningLoss}, {@code running[0]} = the
     * sum of the epoch's batch losses, each before its step.
     */
    void linregEpoch(Tensor w, Tensor b, Tensor v, Tensor running, Tensor lossSum, Indices status, Tensor x,
            Tensor y, Indices idx, StepRule rule, boolean first);

    /**
     * {@link #linregEpoch}'s steps alone, over rows {@code idx[0 .. count)} of {@code x} and {@code y}:
     * the first pass of an epoch whose rows come in chunks, each chunk's rows gathered in the
     * epoch's order. {@code step0} is the epoch's index of the chunk's first step: 0 starts the
     * running loss and sets {@code status[0]}; a later chunk goes on from them, and keeps a
     * {@code status[0]} an earlier chunk set. Chunks of whole minibatches, in order, give the
     * parameters, running loss and status of {@link #linregEpoch} on all the rows, bit for bit.
     */
    void linregEpochSteps(Tensor w, Tensor b, Tensor v, Tensor running, Indices status, Tensor x, Tensor y,
            Indices idx, int count, StepRule rule, boolean first, int step0);

    /**
     * A running sum for {@link #linregEpochLoss} over {@code n} rows of {@code d} features under
     * {@code rule}: as many words as this backend's order of summing needs, their meaning its own.
     */
    Indices epochLossState(int n, int d, StepRule rule);

    /**
     * {@link #linregEpoch}'s loss over a chunk of the epoch's {@code n} rows in their own order:
     * {@code x} and {@code y} hold rows {@code [row, row + x.rows())}. {@code state}
     * ({@link #epochLossState} of n, d and the rule) carries the sum from one chunk to the next from {@code row = 0}; the
     * chunk that ends at {@code n} writes {@code lossSum[0]}, the bits {@link #linregEpoch} gives
     * for the same parameters, whatever the chunks.
     */
    void linregEpochLoss(Tensor lossSum, Indices state, Tensor w, Tensor b, Tensor x, Tensor y, StepRule rule, int row,
            int n);

    /**
     * One epoch of each of many independent runs in one operation ({@code linreg_sweep.cl}: one
     * work-group per run, as many at once as the device has compute units): for each {@link RunEpoch}
     * e, with k = {@code e.run()}, what {@link #linregEpoch} does to one run, on row k of {@code w}
     * ({@code runs x d}), {@code b}, {@code lossSum}, {@code running} ({@code runs x 1}), {@code v}
     * ({@code runs x (d + 1)}) and {@code status} ({@code runs} long), over the {@code e.n()} rows of
     * {@code x} and {@code y} from {@code e.row()} in the order of the permutation at
     * {@code idx[e.start() ..]}. Every run gives the bits it gives alone through {@link #linregEpoch}.
     * The rules share their build options ({@link StepRule#buildOptions()}: the loss and the
     * optimizer's kind); their numbers (lr, batch size, momentum, max norm, Huber's delta) may differ.
     * No run may appear twice; {@code v} and {@code running} may be null when no rule needs them.
     *
     * @throws org.d2lcl.opencl.DeviceLimitException when the device cannot run the runs together with
     *     the geometry each has alone, before any of them ran; they can then run one after another
     */
    void linregSweep(Tensor w, Tensor b, Tensor v, Tensor running, Tensor lossSum, Indices status, Tensor x,
            Tensor y, Indices idx, List<RunEpoch> runs);

    /** Waits for every queued operation. */
    void finish();

    /** Releases every tensor still open and the device objects behind them. */
    @Override
    void close();
}
