package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.d2lcl.Device;
import org.d2lcl.Kernels;
import org.d2lcl.LossFunction;
import org.d2lcl.LinearRegression;
import org.d2lcl.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Synchronous minibatch SGD: the single-machine full-batch run, and the synthetic weights. */
class SynchronousSgdTest {
    private static final float[] TRUE_W = {2f, -3.4f};
    private static final float TRUE_B = 4.2f;

    /**
     * Full-batch GD on P partitions against the same run on one machine ({@code LinearRegression},
     * the chapter's unfused kernels), both from the same {@code w0}. The runs differ only in how the
     * sums are taken: per step t, each run's gradient component j is within
     * {@code gamma(n+1)·S_j + gamma(d+1)·T_j} of the exact one ({@code loss_grad}'s sum of n terms and
     * {@code linreg}'s d + 1, with {@code S_j = sum_i |x_ij r_i|}, {@code T_j = sum_i |x_ij|(sum_k |x_ik w_k| + |b|)}),
     * the partitions' sums add in double and round once ({@code u|g_j|}), a residual rounds once
     * ({@code u·S_j}), and each update {@code p - lr·g/n} rounds within {@code 3u(|p| + lr|g|/n)} per run.
     * With {@code lr·lambda_max(X'X/n) <= 2} (checked) the exact map is a contraction in the 2-norm, so
     * the differences add up: {@code |theta_P - theta_1|_2 <= sum_t (lr/n)|E_t|_2 + 6u(|theta_t|_2 + lr|g_t|_2/n)},
     * evaluated along the single-machine run.
     */
    @ParameterizedTest(name = "{0} partitions: |theta_P - theta_1|_2 <= sum over steps of the summation-order bound")
    @ValueSource(ints = {2, 3})
    void fullBatchIsTheSingleMachineRun(int partitions) {
        int n = 600, epochs = 8;
        float lr = 0.8f;
        long seed = 11;
        org.d2lcl.data.Dataset data = SparkTesting.synthetic(TRUE_W, TRUE_B, n, 3);
        int d = data.d();
        assertTrue(lr * Oracle.lambdaMax(data) / n <= 2, "precondition: the step is a contraction");

        double bound = 0;
        float[] single;
        try (Device dev = Device.open(null, line -> { });
                LinearRegression net = LinearRegression.on(dev, data,
                        new TrainConfig(n, lr, epochs, seed, Kernels.UNFUSED))) {
            for (int e = 0; e < epochs; e++) {
                bound += Oracle.stepBound(data, net.w(), net.b(), lr, n);
                net.epoch();
            }
            single = Oracle.params(net.w(), net.b());
        }
        D2lLinearRegressionModel model = new D2lLinearRegression().setMode("sync").setBatchSize(n).setStepSize(lr)
                .setMaxIter(epochs).setSeed(seed).fit(SparkTesting.frame(data, partitions));
        float[] distributed = Oracle.params(model);
        double diff = Oracle.distance(distributed, single);
        assertTrue(diff <= bound, String.format("|theta_P - theta_1|_2 = %.3g > bound %.3g; P: %s, 1: %s", diff, bound,
                java.util.Arrays.toString(distributed), java.util.Arrays.toString(single)));
        assertTrue(Oracle.distance(single, Oracle.params(TRUE_W, TRUE_B)) < 0.01, "the full-batch run converged");
    }

    /**
     * One partition, minibatches: the driver's batches are the single-machine run's (the same
     * permutation of (seed, epoch), the last batch short), the partition's gradient is
     * {@code loss_grad.cl}'s in the same order of additions, one float sum survives the double
     * aggregation unchanged, and {@code sgd} is the same bits on every backend: the parameters are
     * the single-machine unfused run's, bit for bit; so are the other losses and optimizers, whose
     * update is the library's {@code GradientUpdate} on both sides.
     */
    @ParameterizedTest(name = "loss {0}, optimizer {1}, clip {2}: w and b bit for bit")
    @CsvSource({"squared, sgd, 0", "huber-sum:0.5, momentum:0.9, 0", "mse, sgd-nodiv, 1.0"})
    void onePartitionIsTheSingleMachineRun(String loss, String optimizer, float clip) {
        org.d2lcl.data.Dataset data = SparkTesting.synthetic(TRUE_W, TRUE_B, 305, 8);
        int epochs = 2, batch = 10;
        float lr = 0.03f;
        long seed = 42;
        float[] single = SparkTesting.singleMachine(data, new TrainConfig(batch, lr, epochs, seed, Kernels.UNFUSED)
                .withLoss(LossFunction.named(loss))
                .withOptimizer(new Rule(loss, optimizer, clip, lr, batch).stepRule().optimizer()));
        D2lLinearRegressionModel model = new D2lLinearRegression().setMode("sync").setBatchSize(batch).setStepSize(lr)
                .setMaxIter(epochs).setSeed(seed).setLoss(loss).setOptimizer(optimizer).setClip(clip)
                .fit(SparkTesting.frame(data, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(single, Oracle.params(model), "w then b, bit for bit");
    }

    @Test
    void minibatchesRecoverTheSyntheticWeights() {
        Dataset<Row> data = SparkTesting.frame(SparkTesting.synthetic(TRUE_W, TRUE_B, 600, 5), 3);
        D2lLinearRegressionModel model = new D2lLinearRegression().setMode("sync").setBatchSize(20).setStepSize(0.1)
                .setMaxIter(3).fit(data);
        double err = Oracle.distance(Oracle.params(model), Oracle.params(TRUE_W, TRUE_B));
        assertTrue(err < 0.01, "|theta - theta_true|_2 = " + err + " after 3 epochs of 30 minibatches; expected < 0.01");
    }
}
