package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.d2lcl.data.DataException;
import org.junit.jupiter.api.Test;

/** The model's {@code transform}: {@code linreg} per partition, in chunks, every other column kept. */
class D2lLinearRegressionModelTest {
    private static final float[] W = {0.75f, -1.5f, 2.25f};
    private static final float B = 0.5f;

    /**
     * More rows than one chunk in each partition: each prediction within
     * {@code gamma(d+1)·(sum_j |x_j w_j| + |b|)} of the dot product in double of the float features.
     */
    @Test
    void predictionsAreLinregOfEveryRow() {
        int n = 2 * D2lLinearRegressionModel.CHUNK + 500;
        List<Row> rows = new ArrayList<>();
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(Vectors.dense(rng.nextGaussian(), rng.nextGaussian() * 10, rng.nextGaussian()),
                    (double) i));
        }
        D2lLinearRegressionModel model = new D2lLinearRegressionModel("m", W, B);
        List<Row> out = model.transform(SparkTesting.frame(rows, 2)).collectAsList();
        assertEquals(n, out.size());
        for (int i = 0; i < n; i++) {
            Row r = out.get(i);
            assertEquals((double) i, r.getDouble(1), "row " + i + " keeps its label, in order");
            double[] x = ((Vector) r.get(0)).toArray();
            double exact = B, abs = Math.abs(B);
            for (int j = 0; j < W.length; j++) {
                exact += (double) (float) x[j] * W[j];
                abs += Math.abs((double) (float) x[j] * W[j]);
            }
            double bound = Oracle.gamma(W.length + 1) * abs;
            double got = r.getDouble(2);
            assertTrue(Math.abs(got - exact) <= bound, "row " + i + ": " + got + ", exact " + exact + ", bound " + bound);
        }
    }

    @Test
    void aVectorOfAnotherLengthNamesItsRow() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(RowFactory.create(i == 3 ? Vectors.dense(1, 2) : Vectors.dense(1, 2, 3), 0.0));
        }
        Dataset<Row> frame = model().transform(SparkTesting.frame(rows, 2));
        Exception e = assertThrows(Exception.class, frame::collectAsList);
        DataException cause = null;
        for (Throwable t = e; t != null && cause == null; t = t.getCause()) {
            cause = t instanceof DataException d ? d : null;
        }
        assertNotNull(cause, "a DataException inside Spark's " + e);
        assertEquals("features: row 1 of partition 1 has 2 values; the model takes 3", cause.getMessage());
    }

    @Test
    void aMissingFeaturesColumnIsNamed() {
        Dataset<Row> frame = SparkTesting.frame(List.of(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)), 1);
        assertEquals("column 'x' is not in the DataFrame; its columns are: features, label",
                assertThrows(DataException.class, () -> model().setFeaturesCol("x").transform(frame)).getMessage());
        assertEquals("column 'label' is already in the DataFrame: the prediction needs a new column (setPredictionCol)",
                assertThrows(DataException.class, () -> model().setPredictionCol("label").transform(frame)).getMessage());
    }

    private static D2lLinearRegressionModel model() {
        return new D2lLinearRegressionModel("m", W, B);
    }
}
