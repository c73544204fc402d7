package org.d2lcl.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.d2lcl.data.DataException;
import scala.Option;

/**
 * A fitted {@link D2lLinearRegression}: {@code prediction = coefficients · features + intercept},
 * computed by {@code linreg} ({@code matmul.cl}) on each partition's executor device, a chunk of
 * {@value #CHUNK} rows per launch. Saved and read through Spark ML's persistence (the parameters as
 * metadata, the coefficients and the intercept as a one-row Parquet table), so it also travels in a
 * {@code PipelineModel}.
 */
public final class D2lLinearRegressionModel extends Model<D2lLinearRegressionModel> implements MLWritable {
    /** Rows per {@code linreg} launch in {@link #transform}. */
    static final int CHUNK = 4096;

    private final String uid;
    private final float[] w;
    private final float b;
    private final Param<String> featuresCol, predictionCol, device;

    D2lLinearRegressionModel(String uid, float[] w, float b) {
        this.uid = uid;
        this.w = w.clone();
        this.b = b;
        featuresCol = new Param<>(this, "featuresCol", "features column name (vectors)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        device = new Param<>(this, "device", "the executors' device: an index or name from d2l-cl devices, or java;"
                + " empty: the GPU Spark assigned to the task, else the default device");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(device, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> device() {
        return device;
    }

    public D2lLinearRegressionModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public D2lLinearRegressionModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public D2lLinearRegressionModel setDevice(String value) {
        set(device, value);
        return this;
    }

    /** The weights {@code w}, as MLlib's {@code LinearRegressionModel.coefficients}. */
    public Vector coefficients() {
        double[] c = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            c[j] = w[j];
        }
        return Vectors.dense(c);
    }

    /** The bias {@code b}. */
    public double intercept() {
        return b;
    }

    /** The number of features. */
    public int numFeatures() {
        return w.length;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Columns.checkVectors(schema, getOrDefault(featuresCol));
        return Columns.withPrediction(schema, getOrDefault(predictionCol));
    }

    /** {@code dataset} with the prediction column added; a null vector or one of another length fails naming the row. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> rows = dataset.toDF();
        int col = rows.schema().fieldIndex(getOrDefault(featuresCol));
        String name = getOrDefault(featuresCol);
        String spec = getOrDefault(device).isBlank() ? null : getOrDefault(device);
        float[] wNow = w;
        float bNow = b;
        JavaRDD<Row> predicted = rows.javaRDD().mapPartitionsWithIndex(
                (p, it) -> new Predictions(p, it, col, name, wNow, bNow, spec), true);
        return rows.sparkSession().createDataFrame(predicted, out);
    }

    @Override
    public D2lLinearRegressionModel copy(ParamMap extra) {
        return copyValues(new D2lLinearRegressionModel(uid, w, b), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads a model saved by {@code write().save(path)}. */
    public static MLReader<D2lLinearRegressionModel> read() {
        return new Reader();
    }

    public static D2lLinearRegressionModel load(String path) {
        return read().load(path);
    }

    /** A partition's rows with their predictions, {@value #CHUNK} rows per {@code linreg} launch. */
    private static final class Predictions implements Iterator<Row> {
        private final int partition, col, d;
        private final Iterator<Row> in;
        private final String name, device;
        private final float[] w;
        private final float b;
        private final List<Row> chunk = new ArrayList<>();
        private float[] yHat;
        private int next, row;

        Predictions(int partition, Iterator<Row> in, int col, String name, float[] w, float b, String device) {
            this.partition = partition;
            this.in = in;
            this.col = col;
            this.name = name;
            this.w = w;
            this.b = b;
            this.device = device;
            this.d = w.length;
        }

        @Override
        public boolean hasNext() {
            if (next < chunk.size()) {
                return true;
            }
            chunk.clear();
            next = 0;
            float[] x = new float[CHUNK * d];
            while (chunk.size() < CHUNK && in.hasNext()) {
                Row r = in.next();
                if (r.isNullAt(col)) {
                    throw new DataException(name + ": row " + row + " of partition " + partition + " is null");
                }
                Vector v = r.getAs(col);
                if (v.size() != d) {
                    throw new DataException(name + ": row " + row + " of partition " + partition + " has " + v.size()
                            + " values; the model takes " + d);
                }
                double[] values = v.toArray();
                for (int j = 0; j < d; j++) {
                    x[chunk.size() * d + j] = (float) values[j];
                }
                chunk.add(r);
                row++;
            }
            if (chunk.isEmpty()) {
                return false;
            }
            yHat = PartitionKernels.predict(java.util.Arrays.copyOf(x, chunk.size() * d), chunk.size(), w, b, device);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Row r = chunk.get(next);
            Object[] values = new Object[r.length() + 1];
            for (int i = 0; i < r.length(); i++) {
                values[i] = r.get(i);
            }
            values[r.length()] = (double) yHat[next++];
            return RowFactory.create(values);
        }
    }

    private static final class Writer extends MLWriter {
        private final D2lLinearRegressionModel model;

        Writer(D2lLinearRegressionModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
            StructType schema = new StructType().add("intercept", "double").add("coefficients",
                    new org.apache.spark.ml.linalg.VectorUDT());
            sparkSession().createDataFrame(List.of(RowFactory.create(model.intercept(), model.coefficients())), schema)
                    .repartition(1).write().parquet(path + "/data");
        }
    }

    private static final class Reader extends MLReader<D2lLinearRegressionModel> {
        @Override
        public D2lLinearRegressionModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(),
                    D2lLinearRegressionModel.class.getName());
            Row data = sparkSession().read().parquet(path + "/data").select("intercept", "coefficients").head();
            double[] c = ((Vector) data.getAs(1)).toArray();
            float[] w = new float[c.length];
            for (int j = 0; j < c.length; j++) {
                w[j] = (float) c[j];
            }
            D2lLinearRegressionModel model = new D2lLinearRegressionModel(metadata.uid(), w, (float) data.getDouble(0));
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
