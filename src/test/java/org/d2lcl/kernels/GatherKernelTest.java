package org.d2lcl.kernels;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.d2lcl.Rng;
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
 * {@code gather.cl} against {@code Reference.gather}: the minibatch rows picked through a random
 * permutation, bit for bit, and nothing written past the batch.
 */
@KernelTest
class GatherKernelTest {
    static final DeviceExtension<GatherKernel> device = new DeviceExtension<>(GatherKernel::new);

    @ParameterizedTest(name = "n = {0}, d = {1}, rows [{2}, {2} + {3}): bitwise equal to Reference.gather")
    @CsvSource({
        "1, 1, 0, 1", "2, 1, 1, 1", "97, 13, 0, 97", "97, 13, 90, 7", "1000, 2, 0, 10", "1000, 2, 990, 10",
        "1000, 2, 994, 6", "300, 3, 17, 257", "257, 1, 0, 257", "5000, 4, 1234, 1111", "1000003, 2, 0, 1000003"
    })
    void matchesReferenceBitwise(int n, int d, int start, int count) {
        check(new Random(31L * n + d), n, d, start, count);
    }

    /** Random shapes and batches, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random n, d and batch: bitwise equal to Reference.gather")
        @Property(tries = 20)
        void randomBatchesMatchBitwise(@ForAll @IntRange(min = 1, max = 3000) int n,
                @ForAll @IntRange(min = 1, max = 20) int d, @ForAll @IntRange(min = 0, max = 2999) int start,
                @ForAll @IntRange(min = 1, max = 3000) int count, @ForAll long seed) {
            int s = start % n;
            check(new Random(seed), n, d, s, 1 + (count - 1) % (n - s));
        }
    }

    private static void check(Random rng, int n, int d, int start, int count) {
        Context context = device.context();
        String what = "gather.cl, n = " + n + ", d = " + d + ", rows [" + start + ", " + (start + count) + ")";
        float[] x = Inputs.wide(rng, n * d);
        float[] y = Inputs.wide(rng, n);
        int[] idx = Rng.permutation(new int[n], rng);
        float[] expectedX = Inputs.nan(count * d);
        float[] expectedY = Inputs.nan(count);
        Reference.gather(expectedX, expectedY, x, y, idx, start, count, d);

        float[] xOut;
        float[] yOut;
        try (Buffer xOutB = Buffers.poisoned(context, count * d); Buffer yOutB = Buffers.poisoned(context, count);
             Buffer xb = Buffers.of(context, x); Buffer yb = Buffers.of(context, y);
             Buffer idxB = Buffers.of(context, idx)) {
            device.kernel().gather(xOutB, yOutB, xb, yb, idxB, start, count, d);
            xOut = Buffers.read(xOutB);
            yOut = Buffers.read(yOutB);
        }
        Compare.exactly(what + " (x rows)", expectedX, xOut, count * d);
        Compare.exactly(what + " (y)", expectedY, yOut, count);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, d = {1}, rows [{2}, {2} + {3}): bitwise")
    @CsvSource({"1, 1, 0, 1", "97, 13, 90, 7", "300, 3, 17, 257"})
    void strictDevice(int n, int d, int start, int count) {
        matchesReferenceBitwise(n, d, start, count);
    }
}
