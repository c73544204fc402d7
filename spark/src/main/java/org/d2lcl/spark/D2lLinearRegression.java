package org.d2lcl.spark;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.d2lcl.ConfigException;
import org.d2lcl.D2l;

/**
 * The chapter's linear regression as a Spark ML estimator: Spark distributes the rows, the
 * d2l-cl kernels do the arithmetic of each partition on its executor's device.
 *
 * <pre>{@code
 * D2lLinearRegressionModel model = new D2lLinearRegression()
 *         .setMaxIter(20).setStepSize(0.03).setBatchSize(256).setMode("sync")
 *         .fit(df);                                   // df: "features" (vectors), "label" (numbers)
 * model.transform(df).select("prediction").show();
 * }</pre>
 *
 * <p>Two modes ({@link #setMode}): {@code sync}, the chapter's minibatch SGD over the whole
 * DataFrame with the global batch size, one Spark job per minibatch; {@code local}, every partition
 * runs whole epochs on its rows and the parameters are averaged, weighted by rows, after each
 * epoch, one job per epoch. The loss and the optimizer are the library's, by the names
 * {@code d2l-cl train --loss/--optimizer} takes. {@code w ~ N(0, 0.01)} from the seed, {@code b = 0}.
 */
public final class D2lLinearRegression extends Estimator<D2lLinearRegressionModel> implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> featuresCol, labelCol, predictionCol, loss, optimizer, device, mode;
    private final IntParam maxIter, batchSize;
    private final DoubleParam stepSize, clip;
    private final LongParam seed;

    public D2lLinearRegression() {
        this(Identifiable$.MODULE$.randomUID("d2lLinReg"));
    }

    /** With the given uid (Spark's copies and persistence use it). */
    public D2lLinearRegression(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column name (vectors)");
        labelCol = new Param<>(this, "labelCol", "label column name (numbers)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        maxIter = new IntParam(this, "maxIter", "epochs (>= 0)", ParamValidators.gtEq(0));
        stepSize = new DoubleParam(this, "stepSize", "learning rate (> 0)", ParamValidators.gt(0));
        batchSize = new IntParam(this, "batchSize", "minibatch size (>= 1): global in sync mode, per partition in"
                + " local mode", ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", "random seed of the initial weights and the shuffles");
        loss = new Param<>(this, "loss", "loss as d2l-cl train --loss takes it: squared, mse, mse-sum, l1, l1-sum,"
                + " huber[:DELTA], huber-sum[:DELTA]");
        optimizer = new Param<>(this, "optimizer", "optimizer as d2l-cl train --optimizer takes it: sgd, sgd-nodiv,"
                + " momentum[:MU], momentum-nodiv[:MU]");
        clip = new DoubleParam(this, "clip", "clip the gradient's 2-norm to this before each step (0: no clipping)",
                ParamValidators.gtEq(0));
        device = new Param<>(this, "device", "the executors' device: an index or name from d2l-cl devices, or java;"
                + " empty: the GPU Spark assigned to the task, else the default device");
        mode = new Param<>(this, "mode", "sync (minibatch SGD, one job per minibatch) or local (local SGD,"
                + " parameters averaged every epoch)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(maxIter, 3);
        setDefault(stepSize, 0.03);
        setDefault(batchSize, 10);
        setDefault(seed, 42L);
        setDefault(loss, "squared");
        setDefault(optimizer, "sgd");
        setDefault(clip, 0.0);
        setDefault(device, "");
        setDefault(mode, Training.SYNC);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> loss() {
        return loss;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public DoubleParam clip() {
        return clip;
    }

    public Param<String> device() {
        return device;
    }

    public Param<String> mode() {
        return mode;
    }

    public D2lLinearRegression setFeaturesCol(String value) {
        return put(featuresCol, value);
    }

    public D2lLinearRegression setLabelCol(String value) {
        return put(labelCol, value);
    }

    public D2lLinearRegression setPredictionCol(String value) {
        return put(predictionCol, value);
    }

    /** The epochs: passes over the data. */
    public D2lLinearRegression setMaxIter(int value) {
        return put(maxIter, value);
    }

    /** The learning rate. */
    public D2lLinearRegression setStepSize(double value) {
        return put(stepSize, value);
    }

    /** The minibatch size: of the whole DataFrame's batches in {@code sync} mode, of each partition's in {@code local}. */
    public D2lLinearRegression setBatchSize(int value) {
        return put(batchSize, value);
    }

    public D2lLinearRegression setSeed(long value) {
        return put(seed, value);
    }

    /** The loss by its {@code d2l-cl train --loss} name ({@link org.d2lcl.LossFunction#named}). */
    public D2lLinearRegression setLoss(String value) {
        checked("loss", value, () -> org.d2lcl.LossFunction.named(value));
        return put(loss, value);
    }

    /** The optimizer by its {@code d2l-cl train --optimizer} name ({@link org.d2lcl.Optimizer#named}). */
    public D2lLinearRegression setOptimizer(String value) {
        checked("optimizer", value, () -> org.d2lcl.Optimizer.named(value));
        return put(optimizer, value);
    }

    /** {@code clip_grad_norm_}'s {@code max_norm} before each step; 0: no clipping. */
    public D2lLinearRegression setClip(double value) {
        return put(clip, value);
    }

    /** The executors' device ({@link ExecutorDevices}); empty: Spark's assigned GPU, else the default. */
    public D2lLinearRegression setDevice(String value) {
        return put(device, value);
    }

    /** {@code sync} or {@code local}. */
    public D2lLinearRegression setMode(String value) {
        return put(mode, Training.mode(value));
    }

    @Override
    public D2lLinearRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String modeNow = Training.mode(getOrDefault(mode));
        Rule rule = new Rule(getOrDefault(loss), getOrDefault(optimizer), (float) (double) (Double) getOrDefault(clip),
                (float) (double) (Double) getOrDefault(stepSize), (Integer) getOrDefault(batchSize));
        rule.stepRule(); // a bad name fails here, on the driver
        String deviceSpec = getOrDefault(device).isBlank() ? null : getOrDefault(device);
        long seedNow = (Long) getOrDefault(seed);
        Blocks blocks = Blocks.of(dataset, getOrDefault(featuresCol), getOrDefault(labelCol));
        try {
            if (modeNow.equals(Training.SYNC) && rule.batchSize() > blocks.n) {
                throw new ConfigException("batch size " + rule.batchSize() + ": it must be between 1 and the number of"
                        + " rows, " + blocks.n);
            }
            float[] params = Training.fit(modeNow, blocks, rule, (Integer) getOrDefault(maxIter), seedNow,
                    D2l.initialWeights(blocks.d, seedNow), deviceSpec);
            float[] w = java.util.Arrays.copyOf(params, blocks.d);
            D2lLinearRegressionModel model = new D2lLinearRegressionModel(uid, w, params[blocks.d]);
            return copyValues(model, extractParamMap()).setParent(this);
        } catch (Exception e) { // a task's failure comes as SparkException, undeclared
            throw Blocks.unwrap(e);
        } finally {
            blocks.release();
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.checkVectors(schema, getOrDefault(featuresCol));
        Columns.checkNumbers(schema, getOrDefault(labelCol));
        return Columns.withPrediction(schema, getOrDefault(predictionCol));
    }

    @Override
    public D2lLinearRegression copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Reads an estimator saved by {@code write().save(path)}. */
    public static MLReader<D2lLinearRegression> read() {
        return new DefaultParamsReader<>();
    }

    public static D2lLinearRegression load(String path) {
        return read().load(path);
    }

    private <T> D2lLinearRegression put(Param<T> param, T value) {
        set(param, value);
        return this;
    }

    private static void checked(String what, String value, Runnable parse) {
        if (value == null) {
            throw new ConfigException(what + ": null; give a name");
        }
        try {
            parse.run();
        } catch (ConfigException e) {
            throw new ConfigException(what + " '" + value + "': " + e.getMessage());
        }
    }
}
