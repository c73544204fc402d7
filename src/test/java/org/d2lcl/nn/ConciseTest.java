package org.d2lcl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.d2lcl.Batch;
import org.d2lcl.D2l;
import org.d2lcl.Device;
import org.d2lcl.Loss;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.Rng;
import org.d2lcl.backend.Reference;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.Runs;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chapter's concise version ({@link Linear}, {@link MSELoss}, {@link SGD}, {@link DataLoader})
 * on the Java and the OpenCL backend: it converges as the chapter's run does, the two backends
 * agree to 1e-5 (the matmul and gradient sums add in other orders on OpenCL, as on the trainer's
 * unfused path; every other operation is elementwise), and {@code nn.MSELoss(reduction='sum')} with
 * {@code lr / batch_size} gives the same parameters as the mean with {@code lr}, bit for bit.
 */
class ConciseTest {
    private static final float[] TRUE_W = {2f, -3.4f};
    private static final float TRUE_B = 4.2f;
    private static final Dataset DATA = D2l.syntheticData(TRUE_W, TRUE_B, 1000, 42);
    private static final int BATCH = 10;
    private static final float LR = 0.03f;
    private static final int EPOCHS = 3;
    /** Java vs OpenCL, on the parameters: TrainerKernelsTest's bound for the unfused kernels. */
    private static final double PARAMETERS = 1e-5;

    /**
     * The parameters and the printed loss after each epoch, and w then b after the first step (b
     * starts at 0, so it is then exactly minus the first update: no rounding against p hides its bits).
     */
    record Run(float[][] w, float[] b, double[] loss, float[] firstStep) {
        String describe() {
            return Runs.describe(w, b, loss);
        }
    }

    /** The PyTorch loop of the concise version, with the loss, lr and initial weight given. */
    static Run run(boolean java, Supplier<LossModule> lossOf, float lr, boolean zeroWeights) {
        return run(java, lossOf, lr, 0f, zeroWeights);
    }

    /** {@link #run(boolean, Supplier, float, boolean)} with {@code torch.optim.SGD(..., momentum=momentum)}. */
    static Run run(boolean java, Supplier<LossModule> lossOf, float lr, float momentum, boolean zeroWeights) {
        Run run = new Run(new float[EPOCHS][], new float[EPOCHS], new double[EPOCHS], new float[DATA.d() + 1]);
        int n = DATA.n();
        int d = DATA.d();
        try (Device dev = TestDevice.device(java); LossModule loss = lossOf.get(); Linear net = new Linear(dev, d)) {
            Tensor features = dev.tensor(DATA.features(), n, d);
            Tensor labels = dev.tensor(DATA.labels(), n, 1);
            if (zeroWeights) {
                net.weight().zeros();
            } else {
                net.weight().normal(0, 0.01, 42);
            }
            net.bias().fill(0);
            try (SGD trainer = new SGD(net.parameters(), lr, momentum);
                 DataLoader loader = new DataLoader(features, labels, BATCH, true, 42)) {
                for (int epoch = 0; epoch < EPOCHS; epoch++) {
                    for (Batch batch : loader) {
                        loss.forward(net.forward(batch.x()), batch.y());
                        trainer.zeroGrad();
                        loss.backward(net);
                        trainer.step();
                        if (loader.epoch() == 1 && batch.start() == 0) {
                            System.arraycopy(net.weight().read(), 0, run.firstStep, 0, d);
                            run.firstStep[d] = net.bias().read()[0];
                        }
                    }
                    run.loss[epoch] = loss.forward(net.forward(features), labels);
                    run.w[epoch] = net.weight().read();
                    run.b[epoch] = net.bias().read()[0];
                }
            }
        }
        return run;
    }

    /** The chapter's criteria: the epoch-3 loss below {@code maxLoss}, w and b within 0.01 of the truth. */
    static void assertConverged(String what, Run r, double maxLoss) {
        assertTrue(r.loss[EPOCHS - 1] < maxLoss, what + ": epoch-3 loss " + r.loss[EPOCHS - 1] + " is not < " + maxLoss
                + r.describe());
        float[] w = r.w[EPOCHS - 1];
        assertTrue(Math.abs(TRUE_W[0] - w[0]) < 0.01 && Math.abs(TRUE_W[1] - w[1]) < 0.01
                && Math.abs(TRUE_B - r.b[EPOCHS - 1]) < 0.01, what + ": |error| of w or b not < 0.01" + r.describe());
    }

    /** MSE has no 1/2: the chapter's 2e-4 on squared_loss is 4e-4 here. */
    private static final double MSE_LOSS = 2e-4 * 2;

    @Test
    void theConciseRunConvergesOnBothBackendsWhichAgree() {
        Run java = run(true, MSELoss::new, LR, false);
        Run cl = run(false, MSELoss::new, LR, false);
        String story = "\nJava:" + java.describe() + "\nOpenCL:" + cl.describe();
        assertConverged("Java", java, MSE_LOSS);
        assertConverged("OpenCL", cl, MSE_LOSS);
        for (int e = 0; e < EPOCHS; e++) {
            for (int j = 0; j < TRUE_W.length; j++) {
                assertEquals(java.w[e][j], cl.w[e][j], PARAMETERS, "epoch " + (e + 1) + ", w[" + j + "]" + story);
            }
            assertEquals(java.b[e], cl.b[e], PARAMETERS, "epoch " + (e + 1) + ", b" + story);
        }
    }

    @ParameterizedTest(name = "Java backend {0}: mse-sum with lr / batch_size = mse with lr, bit for bit")
    @ValueSource(booleans = {true, false})
    void sumWithLrOverBatchSizeIsMeanWithLrBitForBit(boolean java) {
        Run mean = run(java, MSELoss::new, LR, false);
        Run sum = run(java, () -> new MSELoss(Reduction.SUM), LR / BATCH, false);
        String story = "\nmean, lr:" + mean.describe() + "\nsum, lr / batch_size:" + sum.describe();
        Compare.bitwise("w then b after the first step" + story, mean.firstStep, sum.firstStep, TRUE_W.length + 1);
        for (int e = 0; e < EPOCHS; e++) {
            Compare.bitwise("epoch " + (e + 1) + " w" + story, mean.w[e], sum.w[e], TRUE_W.length);
            Compare.bitwise("epoch " + (e + 1) + " b" + story, new float[] {mean.b[e]}, new float[] {sum.b[e]}, 1);
            // The same parameters give the same summed loss: printed as a sum, it is n times the mean.
            assertEquals(mean.loss[e], sum.loss[e] / DATA.n(), "epoch " + (e + 1) + " loss" + story);
        }
        assertConverged("mean, lr", mean, MSE_LOSS);
    }

    @ParameterizedTest(name = "Java backend {0}: zero initialisation converges")
    @ValueSource(booleans = {true, false})
    void zeroInitialisationConverges(boolean java) {
        Run r = run(java, MSELoss::new, LR, true);
        assertConverged("w = 0", r, MSE_LOSS);
    }

    @ParameterizedTest(name = "Java backend {0}: no shuffle is the data order; shuffle is Rng.shuffle(seed, epoch)")
    @ValueSource(booleans = {true, false})
    void shuffleOffIsTheDataOrder(boolean java) {
        int n = 23;
        int d = 3;
        int batch = 5;
        Random rng = new Random(7);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        try (Device dev = TestDevice.device(java)) {
            Tensor xs = dev.tensor(x, n, d);
            Tensor ys = dev.tensor(y, n, 1);
            try (DataLoader inOrder = new DataLoader(xs, ys, batch, false, 42);
                 DataLoader shuffled = new DataLoader(xs, ys, batch, true, 42)) {
                for (int epoch = 1; epoch <= 2; epoch++) {
                    assertOrder("shuffle off, epoch " + epoch, inOrder, identity, x, y, d);
                    int[] drawn = Rng.permutation(new int[n], Rng.shuffle(42, epoch));
                    assertOrder("shuffle on, epoch " + epoch, shuffled, drawn, x, y, d);
                    assertEquals(epoch, shuffled.epoch());
                }
            }
        }
    }

    /** One pass of {@code loader} yields the rows {@code order} names, in batches of its size, the last one short. */
    private static void assertOrder(String what, DataLoader loader, int[] order, float[] x, float[] y, int d) {
        int start = 0;
        for (Batch b : loader) {
            int size = Math.min(loader.batchSize(), order.length - start);
            assertEquals(size, b.size(), what + ": size of the batch from " + start);
            float[] xWant = new float[size * d];
            float[] yWant = new float[size];
            for (int r = 0; r < size; r++) {
                System.arraycopy(x, order[start + r] * d, xWant, r * d, d);
                yWant[r] = y[order[start + r]];
            }
            Compare.bitwise(what + ": x of the batch from " + start, xWant, b.x().read(), size * d);
            Compare.bitwise(what + ": y of the batch from " + start, yWant, b.y().read(), size);
            start += size;
        }
        assertEquals(order.length, start, what + ": examples in one pass");
    }

    /**
     * {@code backward} is the analytic gradient: {@code weight.grad = X^T r}, {@code bias.grad = sum r}
     * for the loss's residual factor r (the reference's, bitwise equal to loss.cl's), within the
     * float64 oracle's bound gamma(n+1)·Σ|x·r|, with the divisor of the reduction; {@code step} is
     * {@code p - (lr / divisor) * grad} bit for bit and leaves the gradient 0; {@code zeroGrad} zeroes it.
     */
    @ParameterizedTest(name = "{0} {1}, Java backend {2}: backward = X^T r / divisor; step; zeroGrad")
    @CsvSource({"MSE, MEAN, true", "MSE, SUM, false", "L1, MEAN, false", "L1, SUM, true", "HUBER, MEAN, false",
        "HUBER, SUM, true", "MSE, MEAN, false"})
    void backwardIsTheAnalyticGradient(Loss kind, Reduction reduction, boolean java) {
        int n = 37;
        int d = 3;
        Random rng = new Random(kind.ordinal() * 2 + reduction.ordinal());
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        float delta = 0.5f;
        LossModule loss = switch (kind) {
            case MSE -> new MSELoss(reduction);
            case L1 -> new L1Loss(reduction);
            case HUBER -> new HuberLoss(delta, reduction);
            case SQUARED -> throw new IllegalArgumentException("no nn module for SQUARED");
        };
        float lr = 0.1f;
        try (Device dev = TestDevice.device(java); loss; Linear net = new Linear(dev, d)) {
            net.weight().normal(0, 1, 3);
            net.bias().fill(0.25f);
            float[] w0 = net.weight().read();
            float[] b0 = net.bias().read();
            Tensor xs = dev.tensor(x, n, d);
            Tensor ys = dev.tensor(y, n, 1);
            float[] yHat = net.forward(xs).read();
            double l = loss.forward(net.forward(xs), ys);
            float[] r = new float[n];
            Reference.lossResidual(kind, r, yHat, y, n, kind == Loss.HUBER ? delta : 0f);
            float[] perExample = new float[n];
            Reference.loss(kind, perExample, yHat, y, n, kind == Loss.HUBER ? delta : 0f);
            double exactLoss = 0;
            for (float v : perExample) {
                exactLoss += v;
            }
            long divisor = reduction == Reduction.MEAN ? n : 1;
            exactLoss /= divisor;
            assertEquals(exactLoss, l, 1e-5 * Math.abs(exactLoss), kind + " " + reduction + ": forward");

            loss.backward(net);
            double[] bound = new double[d + 1];
            double[] exact = Oracle.residualGrad(bound, x, r, n, d);
            float[] grad = new float[d + 1];
            System.arraycopy(net.weight().grad().read(), 0, grad, 0, d);
            grad[d] = net.bias().grad().read()[0];
            Compare.within(kind + " " + reduction + ": weight.grad then bias.grad", exact, grad, bound, d + 1);
            assertEquals(divisor, net.weight().gradDivisor());
            assertEquals(divisor, net.bias().gradDivisor());
            float[] gradient = net.weight().gradient();
            for (int j = 0; j < d; j++) {
                assertEquals(grad[j] / divisor, gradient[j], "p.grad = grad / divisor, w[" + j + "]");
            }

            new SGD(net.parameters(), lr).step();
            float step = lr / divisor;
            float[] wWant = new float[d];
            for (int j = 0; j < d; j++) {
                wWant[j] = w0[j] - step * grad[j];
            }
            Compare.bitwise(kind + " " + reduction + ": w after step", wWant, net.weight().read(), d);
            Compare.bitwise(kind + " " + reduction + ": b after step", new float[] {b0[0] - step * grad[d]},
                    net.bias().read(), 1);
            Compare.bitwise("weight.grad after step", new float[d], net.weight().grad().read(), d);

            loss.forward(net.forward(xs), ys);
            loss.backward(net);
            assertTrue(net.weight().grad().read()[0] != 0f, "a gradient to zero");
            new SGD(net.parameters(), lr).zeroGrad();
            Compare.bitwise("weight.grad after zeroGrad", new float[d], net.weight().grad().read(), d);
            Compare.bitwise("bias.grad after zeroGrad", new float[1], net.bias().grad().read(), 1);
            assertEquals(1, net.weight().gradDivisor(), "the divisor after zeroGrad");
        }
    }

    @Test
    void normalIsTheChaptersInitialWeights() {
        try (Device dev = Device.java(); Linear net = new Linear(dev, 2)) {
            assertArrayEquals(D2l.initialWeights(2, 42), net.weight().normal(0, 0.01, 42).read());
        }
    }
}
