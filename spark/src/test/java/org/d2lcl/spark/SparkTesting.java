package org.d2lcl.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.d2lcl.D2l;

/**
 * The tests' Spark: one {@code local[2]} session for the JVM (two executor threads sharing one
 * executor's devices), and DataFrames of the library's data cut into partitions in row order.
 */
final class SparkTesting {
    private static SparkSession spark;

    private SparkTesting() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("d2l-cl-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    /** The schema of {@link #frame}: {@code features} (vectors) and {@code label} (double). */
    static StructType schema() {
        return new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
    }

    /** {@code data} (n x d row-major, n labels) as a DataFrame of {@code partitions} partitions, rows in order. */
    static Dataset<Row> frame(org.d2lcl.data.Dataset data, int partitions) {
        int n = data.n(), d = data.d();
        float[] x = data.features(), y = data.labels();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = x[i * d + j];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) y[i]));
        }
        return frame(rows, partitions);
    }

    /** {@code rows} of {@link #schema()} in {@code partitions} partitions, in order. */
    static Dataset<Row> frame(List<Row> rows, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
        return spark().createDataFrame(jsc.parallelize(rows, partitions), schema());
    }

    /** {@code w} then {@code b} after the single-machine run of {@code config} on the default device. */
    static float[] singleMachine(org.d2lcl.data.Dataset data, org.d2lcl.TrainConfig config) {
        try (org.d2lcl.Device dev = org.d2lcl.Device.open(null, line -> { });
                org.d2lcl.LinearRegression net = org.d2lcl.LinearRegression.on(dev, data, config)) {
            net.fit();
            return Oracle.params(net.w(), net.b());
        }
    }

    /** The chapter's synthetic data: {@code y = X w + b + N(0, 0.01)}, X ~ N(0, 1). */
    static org.d2lcl.data.Dataset synthetic(float[] w, float b, int n, long seed) {
        return D2l.syntheticData(w, b, n, seed);
    }
}
