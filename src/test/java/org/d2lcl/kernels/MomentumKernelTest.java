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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code momentum.cl} against {@code Reference.momentum} over three steps (the first, on which the
 * velocity is the gradient and its old contents, NaN here, are not read; then two with momentum):
 * p and v bit for bit, g zeroed, nothing written past n. A step worked by hand pins the formula
 * independently of the reference. Bitwise equality needs IEEE division
 * ({@code CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT}), which the test device has.
 */
@KernelTest
class MomentumKernelTest {
    static final DeviceExtension<MomentumKernel> device = new DeviceExtension<>(MomentumKernel::new);

    @ParameterizedTest(name = "n = {0}, batch size {1}, lr {2}, mu {3}: p and v bitwise equal to Reference.momentum")
    @CsvSource({
        "1, 1, 0.03, 0.9", "2, 10, 0.03, 0.9", "63, 7, 0.5, 0.5", "97, 3, 0.001, 0.99", "255, 10, 0.03, 0",
        "256, 1000, 0.03, 0.9", "257, 1, 3.0, 0.9", "4097, 256, 0.1, 0.9", "1000003, 10, 0.03, 0.9"
    })
    void matchesReference(int n, int batchSize, float lr, float mu) {
        Random rng = new Random(37L * n + batchSize);
        check(rng, Inputs.wide(rng, n), lr, mu, batchSize);
    }

    /** Random shapes and hyper-parameters, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random n, batch size, lr and mu: p and v bitwise equal to Reference.momentum")
        @Property(tries = 20)
        void randomShapesMatchReference(@ForAll @IntRange(min = 1, max = 5000) int n,
                @ForAll @IntRange(min = 1, max = 5000) int batchSize,
                @ForAll @FloatRange(min = 1e-4f, max = 10f) @Scale(6) float lr,
                @ForAll @FloatRange(min = 0f, max = 0.999f) @Scale(3) float mu, @ForAll long seed) {
            Random rng = new Random(seed);
            check(rng, Inputs.gaussian(rng, n), lr, mu, batchSize);
        }
    }

    /**
     * Values exact in binary, worked by hand: first step {@code v = 2 / 2 = 1}, {@code p = 1 - 0.25 = 0.75};
     * second step with g = 2: {@code v = 0.5 * 1 + 1 = 1.5}, {@code p = 0.75 - 0.375 = 0.375}.
     */
    @Test
    void twoStepsByHand() {
        Context context = device.context();
        try (Buffer p = Buffers.of(context, new float[] {1f}); Buffer v = Buffers.of(context, Inputs.nan(1));
             Buffer g = Buffers.of(context, new float[] {2f})) {
            device.kernel().momentum(p, v, g, 0.25f, 0.5f, 2, true, 1);
            Compare.bitwise("first step (p)", new float[] {0.75f}, Buffers.read(p), 1);
            Compare.bitwise("first step (v = g / batch size)", new float[] {1f}, Buffers.read(v), 1);
            Compare.bitwise("first step (g zeroed)", new float[] {0f}, Buffers.read(g), 1);
            g.write(new float[] {2f});
            device.kernel().momentum(p, v, g, 0.25f, 0.5f, 2, false, 1);
            Compare.bitwise("second step (p)", new float[] {0.375f}, Buffers.read(p), 1);
            Compare.bitwise("second step (v = mu v + g / batch size)", new float[] {1.5f}, Buffers.read(v), 1);
        }
    }

    /** Three steps on fresh gradients from {@code rng}, the first one PyTorch's first. */
    private static void check(Random rng, float[] p, float lr, float mu, int batchSize) {
        Context context = device.context();
        int n = p.length;
        float[] expectedP = p.clone();
        float[] expectedV = Inputs.nan(n);
        try (Buffer pb = Buffers.poisoned(context, n); Buffer vb = Buffers.poisoned(context, n);
             Buffer gb = Buffers.poisoned(context, n)) {
            pb.write(p);
            for (int step = 0; step < 3; step++) {
                boolean first = step == 0;
                String what = String.format(Locale.ROOT, "momentum.cl, step %d%s, n = %d, batch size %d, lr %s, mu %s",
                        step + 1, first ? " (first)" : "", n, batchSize, lr, mu);
                float[] g = Inputs.wide(rng, n);
                float[] expectedG = g.clone();
                Reference.momentum(expectedP, expectedV, expectedG, lr, mu, batchSize, first, n);
                gb.write(g);
                device.kernel().momentum(pb, vb, gb, lr, mu, batchSize, first, n);
                float[] pOut = Buffers.read(pb);
                float[] vOut = Buffers.read(vb);
                float[] gOut = Buffers.read(gb);
                Compare.exactly(what + " (p)", expectedP, pOut, n);
                Compare.exactly(what + " (v)", expectedV, vOut, n);
                Compare.exactly(what + " (g must be zeroed)", expectedG, gOut, n);
            }
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, batch size {1}, lr {2}, mu {3}: bitwise")
    @CsvSource({"1, 1, 0.03, 0.9", "97, 3, 0.001, 0.5", "257, 10, 0.03, 0.9"})
    void strictDevice(int n, int batchSize, float lr, float mu) {
        matchesReference(n, batchSize, lr, mu);
    }
}
