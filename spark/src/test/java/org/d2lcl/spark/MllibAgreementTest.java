package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same DataFrames through MLlib's {@code LinearRegression} (least squares, solver normal, no regularisation). */
class MllibAgreementTest {
    static final String[] DIABETES_FEATURES = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};

    private static Dataset<Row> diabetes;

    /** The diabetes data assembled and standardised (mean 0, standard deviation 1), as a Pipeline does it. */
    @BeforeAll
    static void diabetes() {
        Dataset<Row> raw = SparkTesting.spark().read().option("header", "true").option("inferSchema", "true")
                .csv(MllibAgreementTest.class.getResource("/data/diabetes.csv").getPath()).repartition(2);
        PipelineModel prepare = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(DIABETES_FEATURES).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true).setWithStd(true)
        }).fit(raw);
        diabetes = prepare.transform(raw).withColumnRenamed("progression", "label").select("features", "label").cache();
    }

    static LinearRegressionModel leastSquares(Dataset<Row> data) {
        return new LinearRegression().setSolver("normal").setRegParam(0).setElasticNetParam(0).fit(data);
    }

    /**
     * A well-conditioned problem (X ~ N(0, 1), 4 features, noise 0.01): full-batch GD in sync mode
     * converges to the least-squares solution (lr 0.8 on a Hessian near I: the error shrinks about
     * 5x per epoch), and local SGD comes within its minibatch noise; both agree with MLlib's
     * coefficients and intercept to 1e-3.
     */
    @ParameterizedTest(name = "{0} mode, batch {1}, lr {2}, {3} epochs: |coefficient - MLlib's| <= 1e-3")
    @CsvSource({"sync, 4000, 0.8, 12", "local, 50, 0.05, 6"})
    void coefficientsAgreeWithMllib(String mode, int batch, double lr, int epochs) {
        Dataset<Row> data = SparkTesting.frame(
                SparkTesting.synthetic(new float[] {2f, -3.4f, 1.5f, 0.5f}, 4.2f, 4000, 21), 2).cache();
        LinearRegressionModel mllib = leastSquares(data);
        D2lLinearRegressionModel ours = new D2lLinearRegression().setMode(mode).setBatchSize(batch).setStepSize(lr)
                .setMaxIter(epochs).fit(data);
        double[] expected = mllib.coefficients().toArray(), actual = ours.coefficients().toArray();
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-3, "coefficient " + j);
        }
        assertEquals(mllib.intercept(), ours.intercept(), 1e-3, "intercept");
    }

    /**
     * The diabetes data: the loss, {@code mean((y_hat - y)^2) / 2} in double, within 1% of least
     * squares' (which no linear model beats, so the ratio is at least 1 up to rounding).
     */
    @ParameterizedTest(name = "{0} mode, batch {1}, lr {2}, {3} epochs: loss within [1, 1.01] x least squares'")
    @CsvSource({"local, 10, 0.01, 30", "sync, 442, 0.4, 20"})
    void diabetesLossIsWithinOnePercentOfLeastSquares(String mode, int batch, double lr, int epochs) {
        double best = Oracle.squaredLoss(leastSquares(diabetes).transform(diabetes), "label", "prediction");
        D2lLinearRegressionModel ours = new D2lLinearRegression().setMode(mode).setBatchSize(batch).setStepSize(lr)
                .setMaxIter(epochs).fit(diabetes);
        double loss = Oracle.squaredLoss(ours.transform(diabetes), "label", "prediction");
        assertTrue(loss >= best * (1 - 1e-6) && loss <= best * 1.01, String.format(
                "loss %.6f, least squares %.6f (ratio %.5f), expected [1, 1.01]", loss, best, loss / best));
    }
}
