package org.d2lcl.spark;

import java.util.Arrays;
import org.apache.spark.api.java.function.Function2;
import org.d2lcl.D2l;
import org.d2lcl.Device;
import org.d2lcl.GradientUpdate;
import org.d2lcl.Rng;
import org.d2lcl.StepRule;
import org.d2lcl.backend.Tensor;

/**
 * Synchronous data-parallel minibatch SGD, the chapter's algorithm over the whole DataFrame: each
 * epoch the driver shuffles the row numbers {@code 0 .. n-1} (the library's permutation of
 * ({@code seed}, epoch), so a run on one partition takes the single-machine run's batches) and
 * cuts them into batches of the global batch size; for each batch one Spark job, in which every
 * partition sums the gradient over its rows of the batch on its executor's device and
 * {@code treeAggregate} adds the partitions' d + 1 sums (in double); the driver then applies the
 * rule's update ({@link GradientUpdate}, the library's {@code sgd}, {@code momentum},
 * {@code clip_grad_norm} on the Java backend) and the next job starts from the new parameters.
 */
final class SynchronousSgd {
    private SynchronousSgd() {
    }

    /** Trains from {@code (w0, 0)} for {@code epochs} epochs and returns {@code w} then {@code b}. */
    static float[] fit(Blocks blocks, Rule rule, int epochs, long seed, float[] w0, String device) {
        int n = blocks.n, d = blocks.d, bs = rule.batchSize();
        StepRule stepRule = rule.stepRule();
        long[] offsets = blocks.offsets;
        try (Device host = Device.java()) {
            Tensor w = host.tensor(w0, d, 1), b = host.zeros(1, 1), dw = host.zeros(d, 1), db = host.zeros(1, 1);
            try (GradientUpdate update = new GradientUpdate(stepRule, w, b)) {
                int[] order = new int[n];
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    Rng.permutation(order, Rng.shuffle(seed, epoch));
                    for (int start = 0; start < n; start += bs) {
                        int count = Math.min(bs, n - start);
                        int[] batch = count == n ? null : Arrays.copyOfRange(order, start, start + count);
                        float[] wNow = w.read();
                        float bNow = b.read()[0];
                        double[] g = gradient(blocks, offsets, batch, wNow, bNow, rule, device);
                        float[] gw = new float[d];
                        for (int j = 0; j < d; j++) {
                            gw[j] = (float) g[j];
                        }
                        host.backend().write(dw, gw);
                        host.backend().write(db, new float[] {(float) g[d]});
                        update.apply(dw, db, count, epoch == 1 && start == 0);
                    }
                    Training.checkFinite(w.read(), b.read()[0], epoch, rule);
                }
                float[] out = Arrays.copyOf(w.read(), d + 1);
                out[d] = b.read()[0];
                return out;
            }
        }
    }

    /** One job: the partitions' gradient sums over their rows of {@code batch} (null: all rows), added up. */
    private static double[] gradient(Blocks blocks, long[] offsets, int[] batch, float[] w, float b, Rule rule,
            String device) {
        int d = w.length;
        Function2<double[], Block, double[]> partition = (acc, block) -> {
            int[] rows = batch == null ? null : local(batch, offsets[block.partition()], block.n());
            return Training.add(acc, PartitionKernels.gradient(block, rows, w, b, rule, device));
        };
        return blocks.rdd.treeAggregate(new double[d + 1], partition, Training::add, 2);
    }

    /**
     * The batch's rows in {@code [offset, offset + n)}, as indices into that partition, in the
     * batch's order: the partition adds their terms in the order the single-machine run does.
     */
    static int[] local(int[] batch, long offset, int n) {
        int[] rows = new int[batch.length];
        int k = 0;
        for (int row : batch) {
            if (row >= offset && row < offset + n) {
                rows[k++] = (int) (row - offset);
            }
        }
        return Arrays.copyOf(rows, k);
    }
}
