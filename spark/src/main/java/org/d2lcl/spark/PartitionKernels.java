package org.d2lcl.spark;

import org.d2lcl.D2l;
import org.d2lcl.LossFunction;
import org.d2lcl.Resources;
import org.d2lcl.Rng;
import org.d2lcl.StepRule;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;

/**
 * What a task computes on its partition, each on the executor's device ({@link ExecutorDevices}):
 * a minibatch share's gradient sums ({@code loss_grad.cl}), whole local epochs
 * ({@code linreg_epoch.cl}) and predictions ({@code matmul.cl}'s {@code linreg}). The tensors live
 * for one call; the device for the executor's life.
 */
final class PartitionKernels {
    private PartitionKernels() {
    }

    /**
     * The gradient sums of {@code rule}'s loss over {@code rows} of the block (all rows when null) at
     * {@code (w, b)}: {@code dw = X^T r}, {@code db = sum r} with {@code r = dl/dy_hat}, d + 1 values.
     */
    static double[] gradient(Block block, int[] rows, float[] w, float b, Rule rule, String device) {
        int d = w.length, m = rows == null ? block.n() : rows.length;
        double[] out = new double[d + 1];
        if (m == 0) {
            return out;
        }
        float[][] xy = rows == null ? new float[][] {block.x(), block.y()} : block.rows(rows);
        LossFunction loss = rule.stepRule().loss();
        try (ExecutorDevices.Lease lease = ExecutorDevices.lease(device);
                Tensors t = new Tensors(lease.device().backend())) {
            Backend backend = lease.device().backend();
            Tensor x = t.of(xy[0], m, d), y = t.of(xy[1], m, 1), yHat = t.zeros(m, 1), r = t.zeros(m, 1);
            Tensor dw = t.zeros(d, 1), db = t.zeros(1, 1);
            D2l.linreg(yHat, x, t.of(w, d, 1), t.of(new float[] {b}, 1, 1));
            backend.lossResidual(loss.kind(), r, yHat, y, loss.delta());
            backend.residualGrad(dw, db, x, r);
            float[] g = backend.read(dw);
            for (int j = 0; j < d; j++) {
                out[j] = g[j];
            }
            out[d] = backend.read(db)[0];
        }
        return out;
    }

    /**
     * One epoch of {@code rule} over the block's rows, shuffled by ({@code seed} + partition,
     * {@code epoch}), from {@code (w, b)}, on the epoch kernel: {@code n·w[0..d), n·b}, the sum of
     * the per-example losses afterwards, {@code n}, and the kernel's status (0, or 1 + the first step
     * that left a parameter not finite). A partition without rows gives zeros.
     */
    static double[] epoch(Block block, float[] w, float b, Rule travelling, long seed, int epoch, String device) {
        StepRule rule = travelling.stepRule();
        int d = w.length, n = block.n();
        double[] out = new double[d + 4];
        if (n == 0) {
            return out;
        }
        int[] order = Rng.permutation(new int[n], Rng.shuffle(seed + block.partition(), epoch));
        try (ExecutorDevices.Lease lease = ExecutorDevices.lease(device);
                Tensors t = new Tensors(lease.device().backend())) {
            Backend backend = lease.device().backend();
            Tensor x = t.of(block.x(), n, d), y = t.of(block.y(), n, 1);
            Tensor tw = t.of(w, d, 1), tb = t.of(new float[] {b}, 1, 1), lossSum = t.zeros(1, 1);
            Tensor v = rule.hasVelocity() ? t.zeros(d + 1, 1) : null;
            Tensor running = rule.runningLoss() ? t.zeros(1, 1) : null;
            Indices idx = t.own(backend.indices(n)), status = t.own(backend.indices(1));
            backend.write(idx, order);
            backend.linregEpoch(tw, tb, v, running, lossSum, status, x, y, idx, rule, true);
            float[] nw = backend.read(tw);
            for (int j = 0; j < d; j++) {
                out[j] = (double) n * nw[j];
            }
            out[d] = (double) n * backend.read(tb)[0];
            out[d + 1] = backend.read(lossSum)[0];
            out[d + 2] = n;
            out[d + 3] = backend.read(status)[0];
        }
        return out;
    }

    /** {@code linreg(X, w, b)} for the {@code m} rows of {@code x}. */
    static float[] predict(float[] x, int m, float[] w, float b, String device) {
        int d = w.length;
        try (ExecutorDevices.Lease lease = ExecutorDevices.lease(device);
                Tensors t = new Tensors(lease.device().backend())) {
            Tensor yHat = t.zeros(m, 1);
            D2l.linreg(yHat, t.of(x, m, d), t.of(w, d, 1), t.of(new float[] {b}, 1, 1));
            return yHat.read();
        }
    }

    /** The tensors of one call, closed together. */
    private static final class Tensors implements AutoCloseable {
        private final Backend backend;
        private final Resources owned = new Resources();

        Tensors(Backend backend) {
            this.backend = backend;
        }

        Tensor of(float[] values, int rows, int cols) {
            return own(backend.tensor(values, rows, cols));
        }

        Tensor zeros(int rows, int cols) {
            return own(backend.zeros(rows, cols));
        }

        <T extends AutoCloseable> T own(T resource) {
            return owned.own(resource);
        }

        @Override
        public void close() {
            owned.close();
        }
    }
}
