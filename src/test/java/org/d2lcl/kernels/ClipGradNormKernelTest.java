package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code clip_grad_norm.cl} against {@code Reference.clipGradNorm}, bit for bit (the sum's order is
 * fixed by n: 64 lanes, then a tree), for the device's work-group and for 1, 2, 8 and 64 items; the
 * reference's norm against a float64 oracle under {@code gamma(ceil(n/64) + 7)·||g||}, and the
 * clipped gradients' norm against {@code maxNorm·||g|| / (||g|| + 1e-6)} under
 * {@code gamma(ceil(n/64) + 11)} of it. Below the threshold the gradients come back unchanged; a zero
 * gradient gives norm 0 and stays zero. Nothing is written past the norm or the gradients.
 */
@KernelTest
class ClipGradNormKernelTest {
    static final DeviceExtension<ClipGradNormKernel> device = new DeviceExtension<>(ClipGradNormKernel::new);

    /**
     * Threshold as a multiple of the gradients' norm: 0.25 clips, 4 does not, 1 clips by the 1e-6
     * alone. Gaussian terms make every rounding of the sum count; wide ones (exponents over
     * 2^-20 .. 2^20) exercise the scale.
     */
    @ParameterizedTest(name = "nw = {0}, nb = {1}, max_norm = {2}·||g||, {3} terms: bitwise equal to Reference.clipGradNorm")
    @CsvSource({
        "1, 1, 0.25, gaussian", "1, 1, 4, gaussian", "2, 1, 0.25, wide", "63, 1, 0.25, gaussian",
        "64, 0, 0.25, gaussian", "127, 1, 4, wide", "1000, 1, 0.25, gaussian", "4097, 1, 0.25, gaussian",
        "4097, 1, 4, gaussian", "4097, 1, 1, gaussian", "4097, 1, 0.25, wide", "100003, 1, 0.25, gaussian",
        "100003, 1, 0.25, wide", "0, 1, 0.25, gaussian", "0, 0, 1, gaussian"
    })
    void matchesReference(int nw, int nb, float factor, String terms) {
        Random rng = new Random(41L * nw + nb);
        check(device.kernel(), values(rng, nw, terms), values(rng, nb, terms), factor);
    }

    private static float[] values(Random rng, int n, String terms) {
        return terms.equals("wide") ? Inputs.wide(rng, n) : Inputs.gaussian(rng, n);
    }

    /** The work-groups other devices get, on this one: the same bits for every size. */
    static Stream<Arguments> geometries() {
        return IntStream.of(1, 2, 8, 64).boxed()
                .flatMap(wg -> IntStream.of(1, 65, 4097).mapToObj(nw -> Arguments.of(wg, nw)));
    }

    @ParameterizedTest(name = "work-group {0}, nw = {1}, nb = 1: bitwise equal to Reference.clipGradNorm")
    @MethodSource("geometries")
    void everyWorkGroupMatchesReference(int wg, int nw) {
        Random rng = new Random(nw);
        try (ClipGradNormKernel other = new ClipGradNormKernel(device.context(), wg)) {
            check(other, Inputs.gaussian(rng, nw), Inputs.gaussian(rng, 1), 0.25f);
        }
    }

    /** Random lengths and thresholds, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random nw and threshold: bitwise equal to Reference.clipGradNorm, norm within the oracle's bound")
        @Property(tries = 20)
        void randomShapesMatchReference(@ForAll @IntRange(min = 0, max = 20_000) int nw,
                @ForAll @IntRange(min = 1, max = 16) int eighths, @ForAll long seed) {
            Random rng = new Random(seed);
            check(device.kernel(), Inputs.gaussian(rng, nw), Inputs.gaussian(rng, 1), eighths / 8f);
        }
    }

    @Test
    void zeroGradientHasNormZeroAndStaysZero() {
        check(device.kernel(), new float[300], new float[1], 1f);
        float[] norm = new float[1];
        Reference.clipGradNorm(norm, new float[300], new float[1], 1f, 300, 1);
        assertEquals(0f, norm[0], "the norm of a zero gradient");
    }

    /**
     * As PyTorch's {@code clip_grad_norm_} (which multiplies by {@code clamp(coef, max=1)}): an
     * infinite gradient gives norm inf and coef 0, so finite values become ±0 and the infinity NaN;
     * a NaN gradient gives norm NaN and makes every value NaN. (NaN is checked by value: its bits
     * may differ between the device and Java.)
     */
    @Test
    void nonFiniteGradientsFollowPyTorch() {
        Context context = device.context();
        float[][] cases = {{1f, -2f, Float.POSITIVE_INFINITY, 3f}, {1f, Float.NaN, -2f, 3f}};
        for (float[] gw : cases) {
            float[] normOut;
            float[] wOut;
            float[] bOut;
            try (Buffer normB = Buffers.poisoned(context, 1); Buffer wB = Buffers.of(context, gw);
                 Buffer bB = Buffers.of(context, new float[] {5f})) {
                device.kernel().clipGradNorm(normB, wB, bB, 1f, gw.length, 1);
                normOut = Buffers.read(normB);
                wOut = Buffers.read(wB);
                bOut = Buffers.read(bB);
            }
            String what = "clip_grad_norm.cl of " + Arrays.toString(gw) + " and [5.0]";
            boolean inf = Float.isInfinite(gw[2]);
            if (inf) {
                assertEquals(Float.POSITIVE_INFINITY, normOut[0], what + ": the norm");
                assertEquals(0f, wOut[0], what + ": 1 * 0");
                assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(wOut[1]), what + ": -2 * 0 = -0");
                assertTrue(Float.isNaN(wOut[2]), what + ": inf * 0 = NaN, got " + wOut[2]);
                assertEquals(0f, bOut[0], what + ": 5 * 0");
            } else {
                assertTrue(Float.isNaN(normOut[0]), what + ": the norm is NaN, got " + normOut[0]);
                for (float x : wOut) {
                    assertTrue(Float.isNaN(x), what + ": every value NaN, got " + Arrays.toString(wOut));
                }
                assertTrue(Float.isNaN(bOut[0]), what + ": the bias gradient NaN, got " + bOut[0]);
            }
        }
    }

    /** max_norm = ||g||·factor (any positive value when g = 0). */
    private static void check(ClipGradNormKernel kernel, float[] gw, float[] gb, float factor) {
        Context context = device.context();
        int nw = gw.length;
        int nb = gb.length;
        int n = nw + nb;
        double sumSq = 0;
        for (float x : gw) {
            sumSq += (double) x * x;
        }
        for (float x : gb) {
            sumSq += (double) x * x;
        }
        double exactNorm = Math.sqrt(sumSq);
        float maxNorm = exactNorm == 0 ? factor : (float) (exactNorm * factor);
        long depth = (n + Reference.CLIP_LANES - 1) / Reference.CLIP_LANES + 6;
        String what = String.format(Locale.ROOT, "clip_grad_norm.cl, work-group %d, nw = %d, nb = %d, max_norm = %s",
                kernel.geometry(), nw, nb, maxNorm);

        float[] expectedNorm = new float[1];
        float[] expectedW = gw.clone();
        float[] expectedB = gb.clone();
        Reference.clipGradNorm(expectedNorm, expectedW, expectedB, maxNorm, nw, nb);

        float[] normOut;
        float[] wOut;
        float[] bOut;
        try (Buffer normB = Buffers.poisoned(context, 1); Buffer wB = Buffers.poisoned(context, nw);
             Buffer bB = Buffers.poisoned(context, nb)) {
            if (nw > 0) {
                wB.write(gw);
            }
            if (nb > 0) {
                bB.write(gb);
            }
            kernel.clipGradNorm(normB, wB, bB, maxNorm, nw, nb);
            normOut = Buffers.read(normB);
            wOut = Buffers.read(wB);
            bOut = Buffers.read(bB);
        }
        Compare.bitwise(what + " (norm)", expectedNorm, normOut, 1);
        Compare.bitwise(what + " (gw)", expectedW, wOut, nw);
        Compare.bitwise(what + " (gb)", expectedB, bOut, nb);
        Compare.untouchedAfter(what + " (norm)", normOut, 1);
        Compare.untouchedAfter(what + " (gw)", wOut, nw);
        Compare.untouchedAfter(what + " (gb)", bOut, nb);

        // The reference, independently: the norm, and the gradients unchanged or clipped to max_norm.
        Compare.within(what + ", Reference norm vs float64 (bound gamma(" + (depth + 1) + ")·||g||)",
                new double[] {exactNorm}, expectedNorm, new double[] {Oracle.gamma(depth + 1) * exactNorm}, 1);
        // Whether it clips, decided in float64 away from the edge (within 1e-5 of it only the bits are checked).
        double coef = maxNorm / (exactNorm + 1e-6);
        if (coef > 1 + 1e-5) {
            Compare.bitwise(what + ", below the threshold: gw unchanged", gw, wOut, nw);
            Compare.bitwise(what + ", below the threshold: gb unchanged", gb, bOut, nb);
        } else if (coef < 1 - 1e-5) {
            double clipped = 0;
            for (int i = 0; i < nw; i++) {
                clipped += (double) wOut[i] * wOut[i];
            }
            for (int i = 0; i < nb; i++) {
                clipped += (double) bOut[i] * bOut[i];
            }
            double target = maxNorm * exactNorm / (exactNorm + 1e-6);
            Compare.within(what + ", above the threshold: ||clipped g|| vs max_norm·||g||/(||g|| + 1e-6) (bound gamma("
                    + (depth + 5) + "))", new double[] {target}, new float[] {(float) Math.sqrt(clipped)},
                    new double[] {Oracle.gamma(depth + 5) * target + Math.ulp((float) target)}, 1);
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through the one launch this kernel makes, with
     * the device's work-group and a single item.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: nw = {0}, nb = {1}, max_norm = {2}·||g||: bitwise")
    @CsvSource({"1, 1, 0.25", "97, 1, 0.25", "257, 1, 4", "0, 1, 0.25"})
    void strictDevice(int nw, int nb, float factor) {
        matchesReference(nw, nb, factor, "gaussian");
        Random rng = new Random(nw);
        try (ClipGradNormKernel one = new ClipGradNormKernel(device.context(), 1)) {
            check(one, Inputs.gaussian(rng, nw), Inputs.gaussian(rng, nb), factor);
        }
    }
}
