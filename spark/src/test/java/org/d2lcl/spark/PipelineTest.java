package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In Spark's Pipeline API: assembled and scaled features, fitted, saved, read back and applied. */
class PipelineTest {
    /** Rows {@code (a, b, y)} with {@code y = 2a - 3.4b + 4.2}, in 2 partitions. */
    static Dataset<Row> columns(int n) {
        org.d2lcl.data.Dataset data = SparkTesting.synthetic(new float[] {2f, -3.4f}, 4.2f, n, 13);
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((double) data.features()[2 * i], (double) data.features()[2 * i + 1],
                    (double) data.labels()[i]));
        }
        return SparkTesting.spark().createDataFrame(rows, schema).repartition(2);
    }

    @Test
    void fitsSavesLoadsAndTransforms(@TempDir Path dir) throws Exception {
        Dataset<Row> data = columns(400).cache();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("scaled"),
            new D2lLinearRegression().setFeaturesCol("scaled").setLabelCol("y").setPredictionCol("yHat")
                    .setMode("local").setBatchSize(10).setStepSize(0.1).setMaxIter(4)
        });
        PipelineModel fitted = pipeline.fit(data);
        String path = dir.resolve("model").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        D2lLinearRegressionModel before = (D2lLinearRegressionModel) fitted.stages()[2];
        Transformer stage = loaded.stages()[2];
        D2lLinearRegressionModel after = (D2lLinearRegressionModel) stage;
        assertEquals(before.uid(), after.uid());
        assertArrayEquals(before.coefficients().toArray(), after.coefficients().toArray());
        assertEquals(before.intercept(), after.intercept());
        assertEquals("scaled", after.getOrDefault(after.featuresCol()));
        assertEquals("yHat", after.getOrDefault(after.predictionCol()));

        double[] expected = predictions(fitted.transform(data)), actual = predictions(loaded.transform(data));
        assertArrayEquals(expected, actual, "the loaded pipeline's predictions, bit for bit");
        double loss = Oracle.squaredLoss(loaded.transform(data), "y", "yHat");
        assertEquals(0, loss, 1e-3, "mean((yHat - y)^2) / 2 of the loaded pipeline (the noise's is 5e-5)");
    }

    @Test
    void theEstimatorIsSavedWithItsParameters(@TempDir Path dir) throws Exception {
        D2lLinearRegression estimator = new D2lLinearRegression().setMode("local").setLoss("huber:0.5")
                .setOptimizer("momentum:0.8").setBatchSize(32).setMaxIter(7).setStepSize(0.02).setSeed(5)
                .setDevice("java");
        String path = dir.resolve("estimator").toString();
        estimator.write().save(path);
        D2lLinearRegression loaded = D2lLinearRegression.load(path);
        assertEquals(estimator.uid(), loaded.uid());
        assertEquals(estimator.extractParamMap().toString(), loaded.extractParamMap().toString());
    }

    private static double[] predictions(Dataset<Row> frame) {
        return frame.orderBy("a", "b").select("yHat").collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }
}
