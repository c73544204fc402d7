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
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code matmul.cl}, in the variant the host picks and in each variant by name, and the
 * register-blocked GEMM studied for the benchmarks ({@code matmul_packed.cl}), against the float64
 * oracle under {@code gamma(K+1)·(Σ|a·b| + |bias|)} per element; the Java reference is held to the
 * same bound. Nothing is written past C (poisoned, padded outputs), and a repeated launch gives the same
 * bits. The shapes cover the register blocks' ragged edges, every GEMV row width, and the shapes
 * the benchmarks time ({@code MatmulBench}, {@code GemvBench}).
 */
@KernelTest
class MatmulKernelTest {
    /** How the product is launched. */
    enum Variant {
        /** {@link MatmulKernel#matmul(Buffer, Buffer, Buffer, Buffer, int, int, int)}: the library's choice. */
        AUTO,
        TILED,
        GEMV,
        /** {@link MatmulPackedKernel}: the study. */
        PACKED
    }

    record Kernels(MatmulKernel matmul, MatmulPackedKernel packed) {
    }

    static final DeviceExtension<Kernels> device = new DeviceExtension<>(
            c -> new Kernels(new MatmulKernel(c), new MatmulPackedKernel(c)));

    @ParameterizedTest(name = "{0} {1}x{2}x{3}, bias {4}: |err| <= gamma(K+1)·Σ|a·b|")
    @CsvSource({
        "AUTO, 1, 1, 1, false", "AUTO, 1, 1, 1, true", "AUTO, 97, 13, 31, false", "AUTO, 97, 13, 31, true",
        "AUTO, 17, 33, 15, true", "AUTO, 15, 17, 16, false", "AUTO, 64, 64, 64, false", "AUTO, 1000, 2, 1, true",
        "AUTO, 10, 4, 1, true", "AUTO, 3, 200, 5, false", "AUTO, 128, 129, 127, true", "AUTO, 1, 1000, 1, false",
        "AUTO, 33, 1, 17, true", "AUTO, 5, 0, 3, true", "AUTO, 5, 0, 3, false", "AUTO, 1000003, 2, 1, true",
        "AUTO, 1000003, 4, 1, true",
        // the register block's edges: M around MR, N around NR, K = 0 and 1
        "PACKED, 1, 1, 1, true", "PACKED, 7, 5, 31, false", "PACKED, 8, 16, 32, true", "PACKED, 9, 3, 33, true",
        "PACKED, 17, 0, 65, true", "PACKED, 100, 1, 47, false", "PACKED, 129, 127, 130, true",
        "TILED, 1, 1, 1, true", "TILED, 17, 33, 15, true", "TILED, 129, 127, 130, false",
        // GEMV: every narrow width, 16-lane rows with and without a tail, blocks of 16 rows and less
        "GEMV, 1, 1, 1, true", "GEMV, 15, 2, 1, true", "GEMV, 16, 2, 1, false", "GEMV, 1001, 1, 1, true",
        "GEMV, 1001, 2, 1, true", "GEMV, 1001, 4, 1, false", "GEMV, 1001, 8, 1, true", "GEMV, 999, 3, 1, true",
        "GEMV, 999, 16, 1, true", "GEMV, 999, 17, 1, false", "GEMV, 33, 100, 1, true", "GEMV, 5, 0, 1, true",
        "GEMV, 4099, 256, 1, true",
        // the benchmarks' shapes
        "PACKED, 128, 128, 128, false", "PACKED, 512, 512, 512, false", "PACKED, 1024, 1024, 1024, false",
        "TILED, 256, 256, 256, false", "GEMV, 4194304, 2, 1, false", "GEMV, 4194304, 16, 1, false",
        "GEMV, 65536, 256, 1, false"
    })
    void matchesOracle(Variant variant, int m, int k, int n, boolean withBias) {
        check(variant, new Random(31L * m + 7L * k + n), m, k, n, withBias);
    }

    @Test
    void randomShapesEveryVariant() {
        Random rng = new Random(77);
        for (int trial = 0; trial < 20; trial++) {
            int m = 1 + rng.nextInt(200);
            int k = rng.nextInt(80);
            int n = 1 + rng.nextInt(70);
            boolean withBias = rng.nextBoolean();
            check(Variant.PACKED, rng, m, k, n, withBias);
            check(Variant.TILED, rng, m, k, n, withBias);
            check(Variant.GEMV, rng, m, k, 1, withBias);
        }
    }

    /** Random shapes, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random M, K, N: |err| <= gamma(K+1)·Σ|a·b|")
        @Property(tries = 25)
        void randomShapesMatchOracle(@ForAll @IntRange(min = 1, max = 150) int m,
                @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(min = 1, max = 40) int n,
                @ForAll boolean withBias, @ForAll long seed) {
            check(Variant.AUTO, new Random(seed), m, k, n, withBias);
        }
    }

    private static void check(Variant variant, Random rng, int m, int k, int n, boolean withBias) {
        float[] a = Inputs.gaussian(rng, m * k);
        float[] b = Inputs.gaussian(rng, k * n);
        float[] bias = withBias ? Inputs.gaussian(rng, n) : null;
        double[] bound = new double[m * n];
        double[] exact = Oracle.matmul(bound, a, b, bias, m, k, n);
        String shape = "matmul.cl " + variant + " " + m + "x" + k + "x" + n + (withBias ? " + bias" : "");

        Context context = device.context();
        float[] c;
        float[] again;
        try (Buffer cb = Buffers.poisoned(context, m * n); Buffer ab = context.floats(Math.max(1, m * k));
             Buffer bb = context.floats(Math.max(1, k * n)); Buffer biasb = context.floats(n)) {
            if (m * k > 0) {
                ab.write(a);
            }
            if (k * n > 0) {
                bb.write(b);
            }
            if (withBias) {
                biasb.write(bias);
            }
            launch(variant, cb, ab, bb, withBias ? biasb : null, m, k, n);
            c = Buffers.read(cb);
            cb.write(Inputs.nan(m * n + Inputs.PAD));
            launch(variant, cb, ab, bb, withBias ? biasb : null, m, k, n);
            again = Buffers.read(cb);
        }
        Compare.within(shape + " (bound gamma(K+1)·Σ|a·b|)", exact, c, bound, m * n);
        Compare.untouchedAfter(shape, c, m * n);
        Compare.bitwise(shape + " launched twice on the same inputs", c, again, m * n);

        float[] ref = Inputs.nan(m * n);
        Reference.matmul(ref, a, b, bias, m, k, n);
        Compare.within("Reference.matmul " + m + "x" + k + "x" + n + " (bound gamma(K+1)·Σ|a·b|)", exact, ref, bound,
                m * n);
    }

    private static void launch(Variant variant, Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        Kernels kernels = device.kernel();
        switch (variant) {
            case AUTO -> kernels.matmul().matmul(c, a, b, bias, m, k, n);
            case TILED -> kernels.matmul().matmul(MatmulKernel.Variant.TILED, c, a, b, bias, m, k, n);
            case GEMV -> kernels.matmul().matmul(MatmulKernel.Variant.GEMV, c, a, b, bias, m, k, n);
            case PACKED -> kernels.packed().matmul(c, a, b, bias, m, k, n);
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch the host can choose, and the
     * study's.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0} {1}x{2}x{3}, bias {4}: in bound")
    @CsvSource({"AUTO, 1, 1, 1, false", "AUTO, 17, 5, 1, true", "AUTO, 33, 16, 1, false", "AUTO, 19, 7, 3, true",
        "TILED, 19, 7, 3, true", "TILED, 33, 17, 18, false", "PACKED, 19, 7, 3, true", "PACKED, 9, 5, 33, false",
        "GEMV, 35, 2, 1, true", "GEMV, 20, 16, 1, false", "GEMV, 17, 7, 1, true"})
    void strictDevice(Variant variant, int m, int k, int n, boolean withBias) {
        matchesOracle(variant, m, k, n, withBias);
    }
}
