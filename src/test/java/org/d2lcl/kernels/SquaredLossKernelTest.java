package org.d2lcl.kernels;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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
import org.junit.jupiter.params.provider.ValueSource;

/** {@code squared_loss.cl} against {@code Reference.squaredLoss}: bit for bit, and nothing written past n. */
@KernelTest
class SquaredLossKernelTest {
    static final DeviceExtension<SquaredLossKernel> device = new DeviceExtension<>(SquaredLossKernel::new);

    @ParameterizedTest(name = "n = {0}: bitwise equal to Reference.squaredLoss")
    @ValueSource(ints = {1, 2, 63, 97, 255, 256, 257, 1000, 4097, 1_000_003})
    void matchesReferenceBitwise(int n) {
        Random rng = new Random(n);
        check(Inputs.wide(rng, n), Inputs.wide(rng, n), "n = " + n);
    }

    /** Random lengths, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomLengths {
        @Label("random n: bitwise equal to Reference.squaredLoss")
        @Property(tries = 20)
        void randomLengthsMatchBitwise(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
            Random rng = new Random(seed);
            check(Inputs.gaussian(rng, n), Inputs.gaussian(rng, n), "n = " + n + ", seed " + seed);
        }
    }

    /** Signed zeros, huge residuals that overflow to infinity, tiny ones: still the reference's bits. */
    @Test
    void extremesMatchBitwise() {
        float[] values = {0f, -0f, 1f, -1f, 3e-9f, -3e-9f, 1e19f, -1e19f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[][] pairs = Inputs.pairs(values);
        float[] yHat = pairs[0];
        float[] y = pairs[1];
        check(yHat, y, "every pair of extremes");
    }

    private static void check(float[] yHat, float[] y, String what) {
        Context context = device.context();
        int n = yHat.length;
        float[] expected = Inputs.nan(n);
        Reference.squaredLoss(expected, yHat, y, n);
        float[] l;
        try (Buffer lb = Buffers.poisoned(context, n); Buffer yHatB = Buffers.of(context, yHat);
             Buffer yB = Buffers.of(context, y)) {
            device.kernel().squaredLoss(lb, yHatB, yB, n);
            l = Buffers.read(lb);
        }
        Compare.exactly("squared_loss.cl, " + what, expected, l, n);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}: bitwise equal to Reference.squaredLoss")
    @ValueSource(ints = {1, 17, 300})
    void strictDevice(int n) {
        matchesReferenceBitwise(n);
    }
}
