package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;
import org.d2lcl.nn.HuberLoss;
import org.d2lcl.nn.L1Loss;
import org.d2lcl.nn.Linear;
import org.d2lcl.nn.LossModule;
import org.d2lcl.nn.MSELoss;
import org.d2lcl.nn.SGD;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The programs and exercises of docs/programs.md on the Java and the OpenCL backend: the L1 variant
 * recovers its weights and prints its lines in its format, a corrupted label moves the squared
 * loss's fit further than L1's and Huber's, and the error of the fit falls with the amount of data.
 */
class ProgramsTest {
    /** The lines {@code program} prints on the Java backend or on OpenCL, {@code count} of them. */
    private static String[] run(boolean java, Consumer<Device> program, int count) {
        List<String> lines;
        try (Device dev = TestDevice.device(java)) {
            lines = ReadmeExamplesTest.capture(() -> program.accept(dev));
        }
        assertEquals(count, lines.size(), String.join("\n", lines));
        return lines.toArray(String[]::new);
    }

    /**
     * Within {@value #L1_BAND} of the truth: the loss is a mean of |r|, so a step moves b by at most
     * lr = 0.05 and w_j by at most lr times the batch's mean |x_j| (about 0.8·0.05); SGD at a constant
     * step size does not settle on the L1 fit but in a band about one step wide around it, and the
     * fit itself is within a few σ/√n = 0.01/√500 ≈ 0.0005 of the truth. (Measured: at most 0.026, w[2].)
     * The printed sum falls at least a hundredfold: from 32 batch means of |y| (about 10) to 32 of
     * about that band's width (measured: 325.5 to 0.78).
     */
    private static final double L1_BAND = 0.05;

    @ParameterizedTest(name = "Java backend {0}: the L1 variant recovers its weights and prints its lines")
    @ValueSource(booleans = {true, false})
    void theL1VariantRecoversItsWeights(boolean java) {
        String[] lines = run(java, ReadmeExamplesTest::theL1Variant, 51);
        String all = String.join("\n", lines);
        for (int e = 0; e < 50; e++) {
            assertTrue(lines[e].matches(String.format("epoch %03d: loss: \\d+\\.\\d{6}", e)), lines[e]);
        }
        assertTrue(loss(lines[49]) < loss(lines[0]) / 100, "the summed loss falls a hundredfold\n" + all);
        Matcher m = Pattern.compile("w: \\[(\\S+), (\\S+), (\\S+), (\\S+)], b: (\\S+)").matcher(lines[50]);
        assertTrue(m.matches(), lines[50]);
        float[] truth = {10f, 7f, 5f, 2f, 1.1f};
        for (int j = 0; j < truth.length; j++) {
            String what = j < truth.length - 1 ? "w[" + j + "]" : "b";
            assertEquals(truth[j], Double.parseDouble(m.group(j + 1)), L1_BAND, what + "\n" + all);
        }
    }

    private static double loss(String epochLine) {
        return Double.parseDouble(epochLine.substring("epoch 000: loss: ".length()));
    }

    /**
     * Each run is gradient descent to its own least-squares fit, whose error is Gaussian with a standard
     * deviation of about σ/√n for b and σ·√(2/n) for |w| (σ = 0.01, the label noise): at n = 10000,
     * 1e-4 and 1.4e-4, and five of those (5e-4, 7e-4) are exceeded with probability below 1e-5.
     * The errors at n = 10000 are below those at n = 10, where σ/√10 is 30 times larger.
     */
    @ParameterizedTest(name = "Java backend {0}: the error of w and b falls with the amount of data")
    @ValueSource(booleans = {true, false})
    void theErrorFallsWithTheAmountOfData(boolean java) {
        int[] sizes = {10, 100, 1000, 10000};
        String[] lines = run(java, ReadmeExamplesTest::theErrorAgainstTheAmountOfData, 1 + sizes.length);
        String all = String.join("\n", lines);
        double[][] err = new double[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            Matcher m = Pattern.compile(" *(\\d+) +(\\S+) +(\\S+)").matcher(lines[i + 1]);
            assertTrue(m.matches(), lines[i + 1]);
            assertEquals(sizes[i], Integer.parseInt(m.group(1)), all);
            err[i] = new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
        }
        double sigma = 0.01;
        int n = 10000;
        assertTrue(err[3][0] < err[0][0] && err[3][1] < err[0][1], "n = 10000 against n = 10\n" + all);
        assertTrue(err[3][0] < 5 * sigma * Math.sqrt(2.0 / n), "|w - ŵ| at n = 10000 within 5σ·√(2/n)\n" + all);
        assertTrue(err[3][1] < 5 * sigma / Math.sqrt(n), "|b - b̂| at n = 10000 within 5σ/√n\n" + all);
    }

    /**
     * Errors |w - ŵ| (2-norm) and |b - b̂| for the chapter's w = [2, -3.4], b = 4.2 after {@code steps}
     * of gradient descent on all of {@code data}.
     */
    private static double[] fit(Device dev, Dataset data, LossModule loss, float lr, int steps) {
        Tensor features = dev.tensor(data.features(), data.n(), data.d());
        Tensor labels = dev.tensor(data.labels(), data.n(), 1);
        try (loss; Linear net = new Linear(dev, data.d()); SGD trainer = new SGD(net.parameters(), lr)) {
            net.weight().normal(0, 0.01, 42);
            net.bias().fill(0);
            for (int step = 0; step < steps; step++) {
                loss.forward(net.forward(features), labels);
                trainer.zeroGrad();
                loss.backward(net);
                trainer.step();
            }
            float[] w = net.weight().read();
            return new double[] {Math.hypot(2 - w[0], -3.4 - w[1]), Math.abs(4.2 - net.bias().read()[0])};
        }
    }

    /**
     * The chapter's data with y[5] = 10000, fitted by gradient descent on all 1000 examples (lr 0.03,
     * the chapter's, 1000 steps): full batches, so that each loss reaches its own fit and the
     * comparison is between the losses, not between where the last minibatch left SGD (with
     * minibatches the squared loss's error depends on how many steps ago the outlier's batch came).
     * 1000 steps: L1 moves b by at most lr a step and needs 4.2 / 0.03 = 140 to get there; squared
     * loss contracts by 1 - 2·0.03·λ a step, λ about 1. The squared loss's b follows the labels' mean,
     * which the one label moves by about 10000 / 1000 = 10; L1's and Huber's gradient gives that
     * label no more weight than any other, 1/n.
     */
    @ParameterizedTest(name = "Java backend {0}: a corrupted label moves the squared fit more than L1 and Huber")
    @ValueSource(booleans = {true, false})
    void oneCorruptedLabel(boolean java) {
        Dataset clean = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        float[] y = clean.labels().clone();
        y[5] = 10000f;
        Dataset data = new Dataset(clean.features(), y, 1000, 2);
        try (Device dev = TestDevice.device(java)) {
            double[] mse = fit(dev, data, new MSELoss(), 0.03f, 1000);
            double[] l1 = fit(dev, data, new L1Loss(), 0.03f, 1000);
            double[] huber = fit(dev, data, new HuberLoss(1f), 0.03f, 1000);
            String story = String.format("|w - ŵ|, |b - b̂|: MSELoss %g, %g; L1Loss %g, %g; HuberLoss %g, %g", mse[0],
                    mse[1], l1[0], l1[1], huber[0], huber[1]);
            assertTrue(mse[1] > 1, "the squared loss's b follows the labels' mean, moved by 10: " + story);
            for (int i = 0; i < 2; i++) {
                assertTrue(l1[i] < mse[i] && huber[i] < mse[i], story);
            }
        }
    }
}
