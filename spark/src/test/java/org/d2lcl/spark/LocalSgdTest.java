package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2lcl.Kernels;
import org.d2lcl.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Local SGD with averaging: on one partition the single-machine epoch-kernel run; on several, the synthetic weights. */
class LocalSgdTest {
    private static final float[] TRUE_W = {2f, -3.4f};
    private static final float TRUE_B = 4.2f;

    /**
     * One partition: its epochs are the single-machine run's (the same shuffle, the same kernel, the
     * same device), and the mean of one partition's {@code n·w} over n is w exactly (n·w is exact in
     * double), so the parameters are the same bits.
     */
    @Test
    void onePartitionIsTheSingleMachineEpochRun() {
        org.d2lcl.data.Dataset data = SparkTesting.synthetic(TRUE_W, TRUE_B, 500, 9);
        int epochs = 3, batch = 10;
        float lr = 0.03f;
        long seed = 42;
        float[] single = SparkTesting.singleMachine(data, new TrainConfig(batch, lr, epochs, seed, Kernels.EPOCH));
        D2lLinearRegressionModel model = new D2lLinearRegression().setMode("local").setBatchSize(batch).setStepSize(lr)
                .setMaxIter(epochs).setSeed(seed).fit(SparkTesting.frame(data, 1));
        assertArrayEquals(single, Oracle.params(model), "w then b, bit for bit");
    }

    @ParameterizedTest(name = "{0} partitions: |theta - theta_true|_2 < 0.01 after 3 epochs, lr 0.1")
    @ValueSource(ints = {2, 3})
    void recoversTheSyntheticWeights(int partitions) {
        D2lLinearRegressionModel model = new D2lLinearRegression().setMode("local").setBatchSize(10).setStepSize(0.1)
                .setMaxIter(3).fit(SparkTesting.frame(SparkTesting.synthetic(TRUE_W, TRUE_B, 1200, 5), partitions));
        double err = Oracle.distance(Oracle.params(model), Oracle.params(TRUE_W, TRUE_B));
        assertTrue(err < 0.01, "|theta - theta_true|_2 = " + err + "; expected < 0.01");
    }
}
