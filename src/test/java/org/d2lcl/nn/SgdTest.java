package org.d2lcl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.d2lcl.Device;
import org.d2lcl.backend.Tensor;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SGD} with momentum and {@link Utils#clipGradNorm} on the Java and the OpenCL backend,
 * against float references written here from PyTorch's definitions, and the chapter's concise run
 * with momentum converging.
 */
class SgdTest {
    private static final int N = 37;
    private static final int D = 3;
    private static final float U = Math.ulp(1f) / 2;

    /** A layer and a batch whose MSE gradient is n times the loss's ({@code gradDivisor} 37, not 1). */
    private record Setup(Device dev, Linear net, MSELoss loss, Tensor x, Tensor y) implements AutoCloseable {
        static Setup of(boolean java, float labelScale) {
            Random rng = new Random(11);
            Device dev = TestDevice.device(java);
            Linear net = new Linear(dev, D);
            net.weight().normal(0, 1, 5);
            net.bias().fill(0.5f);
            float[] y = Inputs.gaussian(rng, N);
            for (int i = 0; i < N; i++) {
                y[i] *= labelScale;
            }
            return new Setup(dev, net, new MSELoss(), dev.tensor(Inputs.gaussian(rng, N * D), N, D),
                    dev.tensor(y, N, 1));
        }

        /** forward, zero_grad, backward: the raw gradients of w then b, left on the device. */
        float[] backward() {
            loss.forward(net.forward(x), y);
            net.weight().zeroGrad();
            net.bias().zeroGrad();
            loss.backward(net);
            return params(net.weight().grad().read(), net.bias().grad().read());
        }

        float[] read() {
            return params(net.weight().read(), net.bias().read());
        }

        @Override
        public void close() {
            loss.close();
            net.close();
            dev.close();
        }
    }

    private static float[] params(float[] w, float[] b) {
        float[] p = new float[D + 1];
        System.arraycopy(w, 0, p, 0, D);
        p[D] = b[0];
        return p;
    }

    /**
     * PyTorch's momentum step, dampening 0, no Nesterov, on the loss's gradient {@code grad / n}:
     * {@code buf = g} on the first step, then {@code buf = mu * buf + g}; {@code p -= lr * buf}, each
     * product meeting a sum rounded once (momentum.cl's fma, part of its definition). Bit for bit.
     */
    @ParameterizedTest(name = "Java backend {0}: four momentum steps = PyTorch's, bit for bit")
    @ValueSource(booleans = {true, false})
    void momentumStepsArePyTorchsBitForBit(boolean java) {
        float lr = 0.05f;
        float mu = 0.9f;
        try (Setup s = Setup.of(java, 1f); SGD trainer = new SGD(s.net.parameters(), lr, mu)) {
            float[] p = s.read();
            float[] buf = new float[D + 1];
            for (int step = 0; step < 4; step++) {
                float[] grad = s.backward();
                assertEquals(N, s.net.weight().gradDivisor(), "the mean's divisor");
                for (int i = 0; i <= D; i++) {
                    float g = grad[i] / (float) N;
                    buf[i] = step == 0 ? g : Math.fma(mu, buf[i], g);
                    p[i] = Math.fma(-lr, buf[i], p[i]);
                }
                trainer.step();
                Compare.bitwise("w then b after momentum step " + (step + 1), p, s.read(), D + 1);
                Compare.bitwise("w.grad then b.grad after step " + (step + 1), new float[D + 1],
                        params(s.net.weight().grad().read(), s.net.bias().grad().read()), D + 1);
            }
        }
    }

    @ParameterizedTest(name = "Java backend {0}: the concise run with momentum 0.9 converges")
    @ValueSource(booleans = {true, false})
    void theConciseRunWithMomentumConverges(boolean java) {
        ConciseTest.assertConverged("momentum 0.9", ConciseTest.run(java, MSELoss::new, 0.03f, 0.9f, false),
                2e-4 * 2);
    }

    /**
     * {@code clip_grad_norm_} on the loss's gradient {@code grad / 37}, against a float64 reference
     * within the kernel's roundings (u = 2^-24). The norm: the sum of 4 squares passes through
     * ceil(4 / 64) + 6 = 7 roundings (gamma(7), about 3.5u on its square root) and the square root
     * one more; the division by 37 is in double: within 5u. Each clipped value: the norm's 4.5u, then
     * one rounding each for the {@code + 1e-6}, the scale's quotient, the product with the value and
     * {@link Parameter#gradient()}'s division: within 9u, and so is their norm. Clipping again at twice
     * the norm computes the norm of values within 7.5u (before {@code gradient()}) with 4.5u of its
     * own: within 12u of maxNorm, and leaves the values as they are.
     */
    @ParameterizedTest(name = "Java backend {0}: clipGradNorm clips the loss's gradient, not the summed one")
    @ValueSource(booleans = {true, false})
    void clipGradNormClipsTheLosssGradient(boolean java) {
        float maxNorm = 1f;
        try (Setup s = Setup.of(java, 100f)) {
            float[] grad = s.backward();
            double sumSq = 0;
            for (float g : grad) {
                sumSq += (double) g * g;
            }
            double norm = Math.sqrt(sumSq) / N;
            assertTrue(norm > 2 * maxNorm, "a gradient to clip: " + norm);
            double got = Utils.clipGradNorm(s.net.parameters(), maxNorm);
            assertEquals(norm, got, 5 * U * norm, "the norm of grad / 37 before clipping");
            double scale = maxNorm / (norm + 1e-6 / N);
            float[] clipped = params(s.net.weight().gradient(), s.net.bias().gradient());
            double clippedSq = 0;
            for (int i = 0; i <= D; i++) {
                double want = grad[i] / (double) N * scale;
                assertEquals(want, clipped[i], 9 * U * Math.abs(want), "gradient " + i);
                clippedSq += (double) clipped[i] * clipped[i];
            }
            assertEquals(maxNorm, Math.sqrt(clippedSq), 9 * U * maxNorm, "the clipped gradient's norm");

            float[] before = params(s.net.weight().grad().read(), s.net.bias().grad().read());
            double again = Utils.clipGradNorm(s.net.parameters(), 2 * maxNorm);
            assertEquals(maxNorm, again, 12 * U * maxNorm, "the norm of the clipped gradient");
            Compare.bitwise("a gradient within maxNorm is left as it is", before,
                    params(s.net.weight().grad().read(), s.net.bias().grad().read()), D + 1);
        }
    }

    @Test
    void badHyperParametersAreRefusedWhereTheyAreGiven() {
        try (Setup s = Setup.of(true, 1f)) {
            assertThrows(IllegalArgumentException.class, () -> new SGD(s.net.parameters(), 0.1f, 1f));
            assertThrows(IllegalArgumentException.class, () -> new SGD(s.net.parameters(), 0.1f, -0.5f));
            assertThrows(IllegalArgumentException.class, () -> Utils.clipGradNorm(s.net.parameters(), 0f));
            assertThrows(IllegalArgumentException.class,
                    () -> Utils.clipGradNorm(List.of(s.net.weight()), 1f));
        }
    }
}
