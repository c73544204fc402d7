package org.d2lcl.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.d2lcl.D2l;

/**
 * The measurement of {@code docs/spark.md}: time to a given loss in {@code local[2]}, d2l-cl's two
 * modes against MLlib's {@code LinearRegression} (solvers {@code normal} and {@code l-bfgs}) on the
 * same cached DataFrame. The target is {@code ratio} times the least-squares loss
 * ({@code mean((y_hat - y)^2) / 2}); an iterative method's time is that of the first fit, in a
 * ladder of epochs or iterations, whose model reaches it (each fit timed whole: the data's
 * conversion, the jobs, the model). A program, not a test:
 *
 * <pre>
 * mvn -q -f spark/pom.xml test-compile exec:exec -Dbench.args="200000 16 2 1.01"
 * </pre>
 *
 * Arguments: rows n, features d, partitions, ratio (defaults 200000 16 2 1.01).
 */
public final class TimeToLoss {
    private static final int[] LADDER = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100};

    private TimeToLoss() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        double ratio = args.length > 3 ? Double.parseDouble(args[3]) : 1.01;
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) Math.sin(j + 1) * 2;
        }
        // Through Parquet, so that the partitions Spark sends with every task are file splits, not rows.
        String path = "target/time-to-loss-" + n + "x" + d + "-" + partitions + ".parquet";
        SparkTesting.frame(D2l.syntheticData(w, 4.2f, n, 1), partitions).write().mode("overwrite").parquet(path);
        Dataset<Row> data = SparkTesting.spark().read().parquet(path).cache();
        data.count();
        LinearRegression normal = new LinearRegression().setSolver("normal").setRegParam(0);
        double best = loss(normal.fit(data), data);
        double target = best * ratio;
        System.out.printf(Locale.ROOT, "n = %d, d = %d, %d partitions, local[2]; least squares %.6g, target %.6g%n%n",
                n, d, partitions, best, target);
        List<String> rows = new ArrayList<>();
        rows.add(measure("MLlib LinearRegression, normal", "1 pass", i -> normal, data, best, ratio, true));
        rows.add(measure("MLlib LinearRegression, l-bfgs", "iterations",
                i -> new LinearRegression().setSolver("l-bfgs").setRegParam(0).setMaxIter(i), data, best, ratio, false));
        rows.add(measure("d2l-cl sync, batch 1024, lr 0.1", "epochs",
                i -> new D2lLinearRegression().setMode("sync").setBatchSize(1024).setStepSize(0.1).setMaxIter(i),
                data, best, ratio, false));
        rows.add(measure("d2l-cl local, batch 64, lr 0.03", "epochs",
                i -> new D2lLinearRegression().setMode("local").setBatchSize(64).setStepSize(0.03).setMaxIter(i),
                data, best, ratio, false));
        rows.add(measure("d2l-cl local, batch 64, lr 0.03, Java backend", "epochs",
                i -> new D2lLinearRegression().setMode("local").setBatchSize(64).setStepSize(0.03).setMaxIter(i)
                        .setDevice("java"), data, best, ratio, false));
        System.out.println("| method | to the target | time (s) | loss / least squares |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
        SparkTesting.spark().stop();
    }

    /** The first fit along the ladder that reaches {@code target}: a table row. */
    private static String measure(String name, String unit, IntFunction<org.apache.spark.ml.Estimator<?>> estimator,
            Dataset<Row> data, double best, double ratio, boolean once) {
        estimator.apply(1).fit(data); // warm-up: JIT, kernel builds, the executors' device
        for (int steps : once ? new int[] {1} : LADDER) {
            long start = System.nanoTime();
            Model<?> model = estimator.apply(steps).fit(data);
            double seconds = (System.nanoTime() - start) / 1e9;
            double loss = loss(model, data);
            System.err.printf(Locale.ROOT, "%s, %d %s: %.2f s, loss / least squares %.4f%n", name, steps, unit, seconds,
                    loss / best);
            if (loss <= best * ratio) {
                return String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f |", name,
                        once ? unit : steps + " " + unit, seconds, loss / best);
            }
        }
        return "| " + name + " | not within " + LADDER[LADDER.length - 1] + " | | |";
    }

    private static double loss(Model<?> model, Dataset<Row> data) {
        Row r = model.transform(data).select(functions.avg(functions.pow(
                functions.col("prediction").minus(functions.col("label")), 2)).divide(2)).head();
        return r.getDouble(0);
    }
}
