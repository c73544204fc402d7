package org.d2lcl.kernels;

import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Buffers;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sgd.cl} against {@code Reference.sgd}: the parameters bit for bit, the gradient zeroed,
 * nothing written past n. Bitwise equality needs IEEE division; on a device without
 * {@code CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT} the parameters are held to OpenCL's 2.5 ulp for the
 * division instead.
 */
@KernelTest
class SgdKernelTest {
    static final DeviceExtension<SgdKernel> device = new DeviceExtension<>(SgdKernel::new);

    @ParameterizedTest(name = "n = {0}, batch size {1}, lr {2}: p bitwise equal to Reference.sgd, g = 0")
    @CsvSource({
        "1, 1, 0.03", "2, 10, 0.03", "63, 7, 0.5", "97, 3, 0.001", "255, 10, 0.03", "256, 1000, 0.03",
        "257, 1, 3.0", "4097, 256, 0.1", "1000003, 10, 0.03"
    })
    void matchesReference(int n, int batchSize, float lr) {
        Random rng = new Random(31L * n + batchSize);
        check(Inputs.wide(rng, n), Inputs.wide(rng, n), lr, batchSize);
    }

    /** Random shapes and learning rates, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random n, batch size and lr: p bitwise equal to Reference.sgd, g = 0")
        @Property(tries = 20)
        void randomShapesMatchReference(@ForAll @IntRange(min = 1, max = 5000) int n,
                @ForAll @IntRange(min = 1, max = 5000) int batchSize,
                @ForAll @FloatRange(min = 1e-4f, max = 10f) @Scale(6) float lr, @ForAll long seed) {
            Random rng = new Random(seed);
            check(Inputs.gaussian(rng, n), Inputs.gaussian(rng, n), lr, batchSize);
        }
    }

    /**
     * {@code sgd-nodiv}, PyTorch's {@code p -= lr * g}, is this kernel with batch size 1: IEEE
     * division by 1 is exact, so the result is bitwise the undivided step (computed here without
     * any division).
     */
    @ParameterizedTest(name = "n = {0}, batch size 1: bitwise p - lr * g, no division")
    @CsvSource({"1", "257", "100003"})
    void batchSizeOneIsTheUndividedStep(int n) {
        Context context = device.context();
        Random rng = new Random(n);
        float[] p = Inputs.wide(rng, n);
        float[] g = Inputs.wide(rng, n);
        float lr = 0.03f;
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = p[i] - lr * g[i];
        }
        float[] pOut;
        try (Buffer pb = Buffers.of(context, p); Buffer gb = Buffers.of(context, g)) {
            device.kernel().sgd(pb, gb, lr, 1, n);
            pOut = Buffers.read(pb);
        }
        String what = "sgd.cl with batch size 1 vs p - lr * g, n = " + n;
        if (context.device().correctlyRoundedDivide()) {
            Compare.bitwise(what, expected, pOut, n);
        } else {
            withinDivisionError(what + " (no IEEE division on this device)", p, g, lr, 1, expected, pOut);
        }
    }

    private static void check(float[] p, float[] g, float lr, int batchSize) {
        Context context = device.context();
        int n = p.length;
        String what = String.format(Locale.ROOT, "sgd.cl, n = %d, batch size %d, lr %s", n, batchSize, lr);
        float[] expectedP = p.clone();
        float[] expectedG = g.clone();
        Reference.sgd(expectedP, expectedG, lr, batchSize, n);

        float[] pOut;
        float[] gOut;
        try (Buffer pb = Buffers.poisoned(context, n); Buffer gb = Buffers.poisoned(context, n)) {
            pb.write(p);
            gb.write(g);
            device.kernel().sgd(pb, gb, lr, batchSize, n);
            pOut = Buffers.read(pb);
            gOut = Buffers.read(gb);
        }
        if (context.device().correctlyRoundedDivide()) {
            Compare.bitwise(what + " (p)", expectedP, pOut, n);
        } else {
            withinDivisionError(what + " (p, no IEEE division on this device)", p, g, lr, batchSize, expectedP, pOut);
        }
        Compare.untouchedAfter(what + " (p)", pOut, n);
        Compare.exactly(what + " (g must be zeroed)", expectedG, gOut, n);
    }

    /**
     * Without IEEE division the quotient may be off by 2.5 ulp; the subtraction then rounds once
     * more: |p' - expected| <= 2.5 ulp(q) + ulp(expected).
     */
    private static void withinDivisionError(String what, float[] p, float[] g, float lr, int batchSize,
            float[] expected, float[] actual) {
        double[] exact = new double[p.length];
        double[] bound = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            float q = lr * g[i] / batchSize;
            exact[i] = expected[i];
            bound[i] = 2.5 * Math.ulp(q) + Math.ulp(expected[i]);
        }
        Compare.within(what, exact, actual, bound, p.length);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, batch size {1}, lr {2}: bitwise")
    @CsvSource({"1, 1, 0.03", "97, 3, 0.001", "257, 10, 0.03"})
    void strictDevice(int n, int batchSize, float lr) {
        matchesReference(n, batchSize, lr);
    }
}
