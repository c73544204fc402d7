package org.d2lcl.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.d2lcl.data.DataException;

/**
 * A DataFrame's feature vectors and labels as one {@link Block} per partition, checked on the way:
 * a null or non-finite value, or vectors of different lengths, fail the fit with one message naming
 * the column and the row ({@code row i of partition p}, counted from 0 in the partition's order).
 */
final class Blocks {
    final JavaRDD<Block> rdd;
    /** Rows per partition, and where each partition's rows start in the data's order. */
    final int[] sizes;
    final long[] offsets;
    final int n, d;

    private Blocks(JavaRDD<Block> rdd, int[] sizes, int d) {
        this.rdd = rdd;
        this.sizes = sizes;
        this.d = d;
        this.offsets = new long[sizes.length];
        long total = 0;
        for (int p = 0; p < sizes.length; p++) {
            offsets[p] = total;
            total += sizes[p];
        }
        if (total > Integer.MAX_VALUE) {
            throw new DataException("the DataFrame has " + total + " rows; a fit takes at most " + Integer.MAX_VALUE);
        }
        this.n = (int) total;
    }

    /**
     * The blocks of {@code data}'s columns {@code featuresCol} (vectors) and {@code labelCol}
     * (numbers), kept in memory until {@link #release()}.
     *
     * @throws DataException naming the row or the partitions at fault
     */
    static Blocks of(Dataset<?> data, String featuresCol, String labelCol) {
        Dataset<Row> rows = data.select(data.col(featuresCol), data.col(labelCol).cast(DataTypes.DoubleType));
        JavaRDD<Block> rdd = rows.javaRDD()
                .mapPartitionsWithIndex((p, it) -> List.of(block(p, it, featuresCol, labelCol)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        List<int[]> shapes;
        try {
            shapes = rdd.map(b -> new int[] {b.partition(), b.n(), b.d()}).collect();
        } catch (Exception e) { // a task's failure comes as SparkException, undeclared
            rdd.unpersist(false);
            throw unwrap(e);
        }
        int[] sizes = new int[shapes.size()];
        int d = -1, dFrom = -1;
        for (int[] s : shapes) {
            sizes[s[0]] = s[1];
            if (s[2] < 0) {
                continue;
            }
            if (d >= 0 && s[2] != d) {
                rdd.unpersist(false);
                throw new DataException(featuresCol + ": row 0 of partition " + dFrom + " has " + d
                        + " values and row 0 of partition " + s[0] + " has " + s[2] + ": every vector must have the same length");
            }
            d = s[2];
            dFrom = s[0];
        }
        if (d < 0) {
            rdd.unpersist(false);
            throw new DataException("the DataFrame has no rows to fit");
        }
        return new Blocks(rdd, sizes, d);
    }

    /** Frees the blocks Spark keeps. */
    void release() {
        rdd.unpersist(false);
    }

    private static Block block(int p, Iterator<Row> it, String featuresCol, String labelCol) {
        FloatList x = new FloatList(), y = new FloatList();
        int d = -1;
        for (int i = 0; it.hasNext(); i++) {
            Row row = it.next();
            if (row.isNullAt(0)) {
                throw new DataException(featuresCol + ": row " + i + " of partition " + p + " is null");
            }
            if (row.isNullAt(1)) {
                throw new DataException(labelCol + ": row " + i + " of partition " + p + " is null");
            }
            Vector v = row.getAs(0);
            if (d < 0) {
                d = v.size();
            } else if (v.size() != d) {
                throw new DataException(featuresCol + ": row " + i + " of partition " + p + " has " + v.size()
                        + " values and row 0 of it has " + d + ": every vector must have the same length");
            }
            double[] values = v.toArray();
            for (int j = 0; j < d; j++) {
                float f = (float) values[j];
                if (!Float.isFinite(f)) {
                    throw new DataException(featuresCol + ": row " + i + " of partition " + p + " has " + values[j]
                            + " at index " + j + " (as a float: " + f + "): every value must be a finite float");
                }
                x.add(f);
            }
            double label = row.getDouble(1);
            float f = (float) label;
            if (!Float.isFinite(f)) {
                throw new DataException(labelCol + ": row " + i + " of partition " + p + " is " + label
                        + " (as a float: " + f + "): every label must be a finite float");
            }
            y.add(f);
        }
        return new Block(p, y.size, d, x.toArray(), y.toArray());
    }

    /**
     * The library's message, when a task failed on bad data: Spark reports the task's failure inside
     * its own; the fit throws the task's exception alone.
     */
    static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataException data) {
                return new DataException(data.getMessage(), e);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] a = new float[1024];
        private int size;

        void add(float f) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = f;
        }

        float[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
