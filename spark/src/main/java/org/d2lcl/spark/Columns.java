package org.d2lcl.spark;

import java.util.Arrays;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.d2lcl.data.DataException;

/** The schema checks of the estimator and the model: each failure names the column. */
final class Columns {
    private Columns() {
    }

    /** The column {@code name} of {@code schema}, which must hold vectors. */
    static void checkVectors(StructType schema, String name) {
        DataType type = field(schema, name).dataType();
        if (!(type instanceof VectorUDT)) {
            throw new DataException("column '" + name + "' holds " + type.simpleString() + ": the features must be"
                    + " vectors (org.apache.spark.ml.linalg.Vector, e.g. from a VectorAssembler)");
        }
    }

    /** The column {@code name} of {@code schema}, which must hold numbers. */
    static void checkNumbers(StructType schema, String name) {
        DataType type = field(schema, name).dataType();
        if (!(type instanceof NumericType)) {
            throw new DataException("column '" + name + "' holds " + type.simpleString() + ": the labels must be numbers");
        }
    }

    /** {@code schema} with the prediction column {@code name} (double) added; it must not be there yet. */
    static StructType withPrediction(StructType schema, String name) {
        if (Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new DataException("column '" + name + "' is already in the DataFrame: the prediction needs a new"
                    + " column (setPredictionCol)");
        }
        return schema.add(new StructField(name, DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty()));
    }

    private static StructField field(StructType schema, String name) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new DataException("column '" + name + "' is not in the DataFrame; its columns are: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(name);
    }
}
