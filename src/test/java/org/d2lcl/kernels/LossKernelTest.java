package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.d2lcl.ConfigException;
import org.d2lcl.Loss;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.LossFunction;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Buffers;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code loss.cl} for every {@link Loss}: the per-example loss and its residual factor bit for bit
 * against {@code Reference.loss} and {@code Reference.lossResidual}, nothing written past n, and a
 * table of values worked out by hand (r = 0, |r| = delta, infinities, NaN) that holds the kernel and
 * the reference to the documented semantics. The summed parts: {@code loss_grad.cl}'s
 * {@code residual_grad} ({@code dw = X^T r}, {@code db = sum r}) against the float64 oracle within
 * {@code gamma(n+1)·Σ|x·r|}, the same bits twice, and for SQUARED the same bits as {@code loss_grad};
 * the mean or sum of the losses through {@code reduce.cl} within {@code gamma(depth(n))·Σ|l|}.
 */
@KernelTest
class LossKernelTest {
    /** The three host classes a loss goes through. */
    record Kernels(LossKernel loss, LossGradKernel grad, ReduceKernel reduce) implements AutoCloseable {
        Kernels(Context context) {
            this(new LossKernel(context), new LossGradKernel(context), new ReduceKernel(context));
        }

        @Override
        public void close() {
            loss.close();
            grad.close();
            reduce.close();
        }
    }

    /** Huber's threshold in the random-input tests: the wide inputs fall on both sides of it. */
    private static final float DELTA = 1f;
    private static final float INF = Float.POSITIVE_INFINITY;

    static final DeviceExtension<Kernels> device = new DeviceExtension<>(Kernels::new);

    static Stream<Arguments> lossesAndLengths() {
        List<Arguments> cases = new ArrayList<>();
        for (Loss kind : Loss.values()) {
            for (int n : new int[] {1, 2, 63, 97, 255, 256, 257, 1000, 4097, 1_000_003}) {
                cases.add(Arguments.of(kind, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, n = {1}: loss and residual factor bitwise equal to the reference")
    @MethodSource("lossesAndLengths")
    void matchesReferenceBitwise(Loss kind, int n) {
        Random rng = new Random(31L * n + kind.ordinal());
        check(kind, Inputs.wide(rng, n), Inputs.wide(rng, n), DELTA, "n = " + n);
    }

    /** Huber's threshold far below and far above the typical residual, and one not a power of two. */
    @ParameterizedTest(name = "HUBER, delta = {0}: bitwise equal to the reference")
    @ValueSource(floats = {0x1p-12f, 0.3f, 1000f})
    void huberThresholdsMatchBitwise(float delta) {
        Random rng = new Random(Float.floatToIntBits(delta));
        check(Loss.HUBER, Inputs.wide(rng, 4097), Inputs.wide(rng, 4097), delta, "delta = " + delta);
    }

    /** Random lengths and losses, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomLengths {
        @Label("random n and loss: bitwise equal to the reference")
        @Property(tries = 20)
        void randomLengthsMatchBitwise(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll Loss kind,
                @ForAll long seed) {
            Random rng = new Random(seed);
            check(kind, Inputs.gaussian(rng, n), Inputs.gaussian(rng, n), 0.5f, "n = " + n + ", seed " + seed);
        }
    }

    /**
     * Every pair of signed zeros, residuals of exactly ±delta (delta = 0.5), tiny and huge values,
     * MAX_VALUE (whose differences overflow), infinities and NaN: still the reference's bits.
     */
    @ParameterizedTest(name = "{0}: every pair of extremes bitwise equal to the reference")
    @EnumSource(Loss.class)
    void extremesMatchBitwise(Loss kind) {
        float[] values = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 3e-9f, -3e-9f, 1e19f, -1e19f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[][] pairs = Inputs.pairs(values);
        float[] yHat = pairs[0];
        float[] y = pairs[1];
        check(kind, yHat, y, 0.5f, "every pair of extremes");
    }

    /**
     * Values worked out by hand, with delta = 0.5: each row is y_hat, y, then the loss and the
     * residual factor for SQUARED, MSE, L1 and HUBER. r = 0 gives the L1 factor 0 (PyTorch's
     * sign(0) = 0) and keeps the sign of a zero; |r| = delta gives Huber 0.5·delta² = 0.125 from
     * either branch and the factor ±delta; infinite residuals give infinite losses and the factors
     * ±inf, ±inf, ±1, ±delta.
     */
    private static final float[][] BY_HAND = {
        // y_hat, y,    SQUARED l, r,  MSE l, r,     L1 l, r,     HUBER l, r
        {1.25f, 1.25f,  0f, 0f,        0f, 0f,       0f, 0f,      0f, 0f},
        {-0f, 0f,       0f, -0f,       0f, -0f,      0f, -0f,     0f, -0f},
        {1.5f, 1f,      0.125f, 0.5f,  0.25f, 1f,    0.5f, 1f,    0.125f, 0.5f},
        {1f, 1.5f,      0.125f, -0.5f, 0.25f, -1f,   0.5f, -1f,   0.125f, -0.5f},
        {4f, 1f,        4.5f, 3f,      9f, 6f,       3f, 1f,      1.375f, 0.5f},
        {-0.25f, 0f,    0.03125f, -0.25f, 0.0625f, -0.5f, 0.25f, -1f, 0.03125f, -0.25f},
        {-3f, 0f,       4.5f, -3f,     9f, -6f,      3f, -1f,     1.375f, -0.5f},
        {INF, 0f,       INF, INF,      INF, INF,     INF, 1f,     INF, 0.5f},
        {0f, INF,       INF, -INF,     INF, -INF,    INF, -1f,    INF, -0.5f},
    };

    @ParameterizedTest(name = "{0}: r = 0, |r| = delta, infinities give the values worked out by hand")
    @EnumSource(Loss.class)
    void valuesByHand(Loss kind) {
        int n = BY_HAND.length + 1;
        float[] yHat = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < BY_HAND.length; i++) {
            yHat[i] = BY_HAND[i][0];
            y[i] = BY_HAND[i][1];
        }
        yHat[n - 1] = Float.NaN; // and a NaN residual stays NaN in both
        float[][] device = run(kind, yHat, y, 0.5f);
        float[] refL = new float[n];
        float[] refR = new float[n];
        Reference.loss(kind, refL, yHat, y, n, 0.5f);
        Reference.lossResidual(kind, refR, yHat, y, n, 0.5f);
        int col = 2 + 2 * kind.ordinal();
        for (int i = 0; i < BY_HAND.length; i++) {
            String at = String.format(Locale.ROOT, "%s, y_hat = %s, y = %s", kind, yHat[i], y[i]);
            assertBits(BY_HAND[i][col], device[0][i], "loss.cl loss, " + at);
            assertBits(BY_HAND[i][col + 1], device[1][i], "loss.cl loss_residual, " + at);
            assertBits(BY_HAND[i][col], refL[i], "Reference.loss, " + at);
            assertBits(BY_HAND[i][col + 1], refR[i], "Reference.lossResidual, " + at);
        }
        for (float[] out : new float[][] {device[0], device[1], refL, refR}) {
            assertTrue(Float.isNaN(out[n - 1]), kind + ": a NaN residual must give NaN, got " + out[n - 1]);
        }
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> what + ": expected " + expected + ", got " + actual);
    }

    /** The loss and the factor on the device, bitwise against the reference, nothing past n. */
    private static void check(Loss kind, float[] yHat, float[] y, float delta, String what) {
        int n = yHat.length;
        float[] expectedL = Inputs.nan(n);
        float[] expectedR = Inputs.nan(n);
        Reference.loss(kind, expectedL, yHat, y, n, delta);
        Reference.lossResidual(kind, expectedR, yHat, y, n, delta);
        float[][] out = run(kind, yHat, y, delta);
        String where = "loss.cl -DLOSS=" + kind + ", " + what;
        Compare.exactly(where + ": loss", expectedL, out[0], n);
        Compare.exactly(where + ": loss_residual", expectedR, out[1], n);
    }

    /** {loss, residual factor}, each with its NaN padding. */
    private static float[][] run(Loss kind, float[] yHat, float[] y, float delta) {
        Context context = device.context();
        int n = yHat.length;
        try (Buffer lb = Buffers.poisoned(context, n); Buffer rb = Buffers.poisoned(context, n);
             Buffer yHatB = Buffers.of(context, yHat); Buffer yB = Buffers.of(context, y)) {
            device.kernel().loss().loss(kind, lb, yHatB, yB, n, delta);
            device.kernel().loss().lossResidual(kind, rb, yHatB, yB, n, delta);
            return new float[][] {Buffers.read(lb), Buffers.read(rb)};
        }
    }

    static Stream<Arguments> gradientShapes() {
        List<Arguments> cases = new ArrayList<>();
        Object[][] shapes = {
            {"AUTO", 1, 1}, {"AUTO", 10, 2}, {"AUTO", 97, 13}, {"AUTO", 1000, 4}, {"AUTO", 4099, 3},
            {"PER_OUTPUT", 300, 17}, {"PER_OUTPUT", 5000, 3}, {"ROWS", 1, 1}, {"ROWS", 17, 15},
            {"ROWS", 333, 17}, {"ROWS", 4096, 64}, {"ROWS", 100_003, 2}};
        for (Loss kind : Loss.values()) {
            for (Object[] s : shapes) {
                cases.add(Arguments.of(kind, s[0], s[1], s[2]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} n = {2}, d = {3}: X^T r within gamma(n+1)·Σ|x·r|, the same bits twice")
    @MethodSource("gradientShapes")
    void residualGradMatchesOracle(Loss kind, String variant, int n, int d) {
        Random rng = new Random(17L * n + 5L * d + kind.ordinal());
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.wide(rng, n);
        float[] yHat = new float[n];
        for (int i = 0; i < n; i++) {
            yHat[i] = (float) (y[i] + rng.nextGaussian());
        }
        float[] r = new float[n];
        Reference.lossResidual(kind, r, yHat, y, n, DELTA);
        double[] bound = new double[d + 1];
        double[] exact = Oracle.residualGrad(bound, x, r, n, d);
        String what = "residual_grad " + variant + ", " + kind + ", n = " + n + ", d = " + d;

        Context context = device.context();
        LossGradKernel grad = device.kernel().grad();
        float[] first;
        float[] again;
        float[] squared = null;
        try (Buffer dw = Buffers.poisoned(context, d); Buffer db = Buffers.poisoned(context, 1);
             Buffer xb = Buffers.of(context, x); Buffer yHatB = Buffers.of(context, yHat);
             Buffer yb = Buffers.of(context, y); Buffer rb = Buffers.poisoned(context, n)) {
            device.kernel().loss().lossResidual(kind, rb, yHatB, yb, n, DELTA);
            Compare.bitwise(what + ": the residual factor", r, Buffers.read(rb), n);
            Runnable launch = () -> launch(grad, variant, dw, db, xb, rb, n, d);
            first = Buffers.launchGradient(dw, db, d, what, launch);
            again = Buffers.launchGradient(dw, db, d, what + " (launched again)", launch);
            if (kind == Loss.SQUARED) {
                squared = Buffers.launchGradient(dw, db, d, what + " (loss_grad)", () -> {
                    switch (variant) {
                        case "AUTO" -> grad.lossGrad(dw, db, xb, yHatB, yb, n, d);
                        default -> grad.lossGrad(LossGradKernel.Variant.valueOf(variant), dw, db, xb, yHatB, yb, n, d);
                    }
                });
            }
        }
        Compare.within(what + " (dw[0..d), then db; bound gamma(n+1)·Σ|x·r|)", exact, first, bound, d + 1);
        Compare.bitwise(what + " launched twice on the same inputs", first, again, d + 1);
        if (squared != null) {
            Compare.bitwise(what + ": the same bits as loss_grad (y_hat - y computed in the kernel)", squared, first,
                    d + 1);
        }
        float[] dwRef = Inputs.nan(d);
        float[] dbRef = Inputs.nan(1);
        Reference.residualGrad(dwRef, dbRef, x, r, n, d);
        float[] ref = new float[d + 1];
        System.arraycopy(dwRef, 0, ref, 0, d);
        ref[d] = dbRef[0];
        Compare.within("Reference.residualGrad, " + kind + ", n = " + n + ", d = " + d
                + " (bound gamma(n+1)·Σ|x·r|)", exact, ref, bound, d + 1);
    }

    private static void launch(LossGradKernel grad, String variant, Buffer dw, Buffer db, Buffer x, Buffer r, int n,
            int d) {
        if (variant.equals("AUTO")) {
            grad.residualGrad(dw, db, x, r, n, d);
        } else {
            grad.residualGrad(LossGradKernel.Variant.valueOf(variant), dw, db, x, r, n, d);
        }
    }


    static Stream<Arguments> reductions() {
        List<Arguments> cases = new ArrayList<>();
        LossFunction[] functions = {LossFunction.squaredLoss(Reduction.SUM), LossFunction.squaredLoss(Reduction.MEAN),
            LossFunction.mseLoss(), LossFunction.mseLoss(Reduction.SUM), LossFunction.l1Loss(),
            LossFunction.l1Loss(Reduction.SUM), LossFunction.huberLoss(), LossFunction.huberLoss(0.25f, Reduction.SUM)};
        for (LossFunction f : functions) {
            for (int n : new int[] {1, 1000, 100_003}) {
                cases.add(Arguments.of(f, n));
            }
        }
        return cases.stream();
    }

    /**
     * The reduced loss: {@code reduce.cl}'s sum of the per-example losses (already bitwise checked),
     * divided by n in double for the mean, within {@code gamma(depth(n))·Σ|l|} (divided by n for the
     * mean, plus the double division's rounding) of the float64 sum.
     */
    @ParameterizedTest(name = "{0}, n = {1}: the reduced loss within gamma(depth(n))·Σ|l|")
    @MethodSource("reductions")
    void reducedLossMatchesOracle(LossFunction f, int n) {
        Random rng = new Random(n + 7L * f.kind().ordinal());
        float[] y = Inputs.gaussian(rng, n);
        float[] yHat = Inputs.gaussian(rng, n);
        float[] l = new float[n];
        Reference.loss(f.kind(), l, yHat, y, n, f.delta());
        double[] sumAbs = new double[1];
        double exactSum = Oracle.sum(l, n, sumAbs);
        long depth = device.kernel().reduce().depth(n);
        double divisor = f.divisor(n);
        double exact = exactSum / divisor;
        double bound = Oracle.gamma(depth) * sumAbs[0] / divisor + 2 * Math.ulp(exact);
        Context context = device.context();
        float sum;
        try (Buffer lb = Buffers.poisoned(context, n); Buffer yHatB = Buffers.of(context, yHat);
             Buffer yB = Buffers.of(context, y); Buffer out = Buffers.poisoned(context, 1)) {
            device.kernel().loss().loss(f.kind(), lb, yHatB, yB, n, f.delta());
            device.kernel().reduce().sum(out, lb, n);
            sum = Buffers.read(out)[0];
        }
        double reduced = f.reduce(sum, n);
        assertEquals(f.reduction() == Reduction.MEAN ? sum / (double) n : sum, reduced, 0.0,
                f + ": reduce(sum, n) is the sum, divided by n for the mean");
        assertTrue(Math.abs(reduced - exact) <= bound, String.format(Locale.ROOT,
                "%s, n = %d: reduced loss %.9g, exact %.9g, |err| %.3g > bound %.3g (depth %d)", f, n, reduced, exact,
                Math.abs(reduced - exact), bound, depth));
    }

    /** The loss record checks its threshold where it is made. */
    @Test
    void lossFunctionRefusesBadThresholds() {
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThrows(ConfigException.class,
                    () -> LossFunction.huberLoss(bad), "delta = " + bad);
        }
        assertThrows(ConfigException.class,
                () -> new LossFunction(Loss.MSE, Reduction.MEAN, 1f), "MSE takes no threshold");
        assertEquals(1f, LossFunction.huberLoss().delta(), "nn.HuberLoss's default delta");
        assertEquals(Reduction.MEAN, LossFunction.mseLoss().reduction(), "nn.MSELoss's default reduction");
        assertEquals(10, LossFunction.l1Loss().divisor(10));
        assertEquals(1, LossFunction.l1Loss(Reduction.SUM).divisor(10));
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch these kernels make.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0}: loss, factor and X^T r (n = 37, d = 5) on every variant")
    @EnumSource(Loss.class)
    void strictDevice(Loss kind) {
        matchesReferenceBitwise(kind, 17);
        extremesMatchBitwise(kind);
        for (String variant : new String[] {"AUTO", "PER_OUTPUT", "ROWS"}) {
            residualGradMatchesOracle(kind, variant, 37, 5);
        }
        residualGradMatchesOracle(kind, "ROWS", 130, 17);
    }
}
