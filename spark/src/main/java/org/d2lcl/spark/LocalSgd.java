package org.d2lcl.spark;

import java.util.Arrays;
import org.apache.spark.api.java.function.Function2;

/**
 * Local SGD with averaging: each epoch is one Spark job in which every partition runs a whole epoch
 * of minibatch SGD over its own rows, shuffled, on its executor's device (the epoch kernel, one
 * launch), starting from the parameters the driver sent; {@code treeAggregate} adds the results
 * weighted by the partitions' rows and the driver takes their mean. Momentum's velocities start
 * from 0 in each partition's epoch. On one partition it is the single-machine epoch-kernel run,
 * with partition 0's shuffle.
 */
final class LocalSgd {
    private LocalSgd() {
    }

    /** Trains from {@code (w0, 0)} for {@code epochs} epochs and returns {@code w} then {@code b}. */
    static float[] fit(Blocks blocks, Rule rule, int epochs, long seed, float[] w0, String device) {
        int d = blocks.d;
        float[] w = w0.clone();
        float b = 0f;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            float[] wNow = w;
            float bNow = b;
            int e = epoch;
            Function2<double[], Block, double[]> partition =
                    (acc, block) -> Training.add(acc, PartitionKernels.epoch(block, wNow, bNow, rule, seed, e, device));
            double[] sum = blocks.rdd.treeAggregate(new double[d + 4], partition, Training::add, 2);
            if (sum[d + 3] != 0) { // a partition's status: some step left a parameter not finite
                Training.diverged(epoch, rule);
            }
            double rows = sum[d + 2];
            w = new float[d];
            for (int j = 0; j < d; j++) {
                w[j] = (float) (sum[j] / rows);
            }
            b = (float) (sum[d] / rows);
            Training.checkFinite(w, b, epoch, rule);
        }
        float[] out = Arrays.copyOf(w, d + 1);
        out[d] = b;
        return out;
    }
}
