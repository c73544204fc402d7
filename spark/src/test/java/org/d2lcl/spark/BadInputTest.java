package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.d2lcl.ConfigException;
import org.d2lcl.data.DataException;
import org.junit.jupiter.api.Test;

/** Bad input fails the fit with one message naming the column and the row, or the column alone. */
class BadInputTest {
    /** Six good rows in two partitions of three, with row {@code at} replaced by {@code bad}. */
    private static Dataset<Row> withRow(int at, Row bad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(i == at ? bad : RowFactory.create(Vectors.dense(i, 1 - i), 2.0 * i));
        }
        return SparkTesting.frame(rows, 2);
    }

    private static String failure(Dataset<Row> data) {
        return assertThrows(DataException.class, () -> new D2lLinearRegression().setBatchSize(2).setMaxIter(1).fit(data))
                .getMessage();
    }

    @Test
    void aNullVectorNamesItsRow() {
        assertEquals("features: row 1 of partition 1 is null", failure(withRow(4, RowFactory.create(null, 1.0))));
    }

    @Test
    void aNaNNamesItsRowAndIndex() {
        assertEquals("features: row 2 of partition 0 has NaN at index 1 (as a float: NaN): every value must be a"
                + " finite float", failure(withRow(2, RowFactory.create(Vectors.dense(1, Double.NaN), 1.0))));
    }

    @Test
    void aValueBeyondFloatNamesItsRow() {
        assertEquals("features: row 0 of partition 1 has 1.0E300 at index 0 (as a float: Infinity): every value must"
                + " be a finite float", failure(withRow(3, RowFactory.create(Vectors.dense(1e300, 0), 1.0))));
    }

    @Test
    void aNullLabelNamesItsRow() {
        assertEquals("label: row 0 of partition 0 is null", failure(withRow(0, RowFactory.create(Vectors.dense(1, 2), null))));
    }

    @Test
    void aShorterVectorInThePartitionNamesItsRow() {
        assertEquals("features: row 1 of partition 1 has 3 values and row 0 of it has 2: every vector must have the"
                + " same length", failure(withRow(4, RowFactory.create(Vectors.dense(1, 2, 3), 1.0))));
    }

    @Test
    void partitionsOfDifferentLengthsNameBoth() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(RowFactory.create(i < 2 ? Vectors.dense(i, 1) : Vectors.dense(i, 1, 2), 1.0));
        }
        assertEquals("features: row 0 of partition 0 has 2 values and row 0 of partition 1 has 3: every vector must"
                + " have the same length", failure(SparkTesting.frame(rows, 2)));
    }

    @Test
    void aMissingColumnIsNamed() {
        Dataset<Row> data = withRow(-1, null);
        DataException e = assertThrows(DataException.class,
                () -> new D2lLinearRegression().setFeaturesCol("x").fit(data));
        assertEquals("column 'x' is not in the DataFrame; its columns are: features, label", e.getMessage());
        e = assertThrows(DataException.class, () -> new D2lLinearRegression().setLabelCol("y").fit(data));
        assertEquals("column 'y' is not in the DataFrame; its columns are: features, label", e.getMessage());
    }

    @Test
    void badNamesAreRefusedWhenSet() {
        assertEquals("loss 'cubic': must be squared, mse, mse-sum, l1, l1-sum, huber[:DELTA] or huber-sum[:DELTA]",
                assertThrows(ConfigException.class, () -> new D2lLinearRegression().setLoss("cubic")).getMessage());
        assertEquals("optimizer 'adam': must be sgd, sgd-nodiv, momentum[:MU] or momentum-nodiv[:MU]",
                assertThrows(ConfigException.class, () -> new D2lLinearRegression().setOptimizer("adam")).getMessage());
        assertEquals("mode 'async': must be sync (synchronous minibatch SGD, one job per minibatch) or local (local"
                + " SGD, partitions' parameters averaged after every epoch)",
                assertThrows(IllegalArgumentException.class, () -> new D2lLinearRegression().setMode("async"))
                        .getMessage());
    }
}
