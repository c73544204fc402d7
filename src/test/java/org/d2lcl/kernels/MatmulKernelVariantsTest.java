package org.d2lcl.kernels;

import java.util.Random;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every variant of {@code matmul.cl}, whichever the device would pick, against the float64 oracle
 * under {@code (K+1)·u·(Σ|a·b| + |bias|)}: ragged edges of the register blocks, every GEMV row
 * width, and the shapes the benchmarks time ({@code MatmulBench}, {@code GemvBench}).
 */
class MatmulKernelVariantsTest {
    /** The library's two variants, and the register-blocked GEMM studied for the benchmarks. */
    enum Variant { TILED, GEMV, PACKED }

    private static Context context;
    private static MatmulKernel kernel;
    private static MatmulPackedKernel packed;

    @BeforeAll
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new MatmulKernel(context);
        packed = new MatmulPackedKernel(context);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3}, bias {4}: |err| <= (K+1)·u·Σ|a·b|")
    @CsvSource({
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

    private static void check(Variant variant, Random rng, int m, int k, int n, boolean withBias) {
        float[] a = Inputs.gaussian(rng, m * k);
        float[] b = Inputs.gaussian(rng, k * n);
        float[] bias = withBias ? Inputs.gaussian(rng, n) : null;
        double[] bound = new double[m * n];
        double[] exact = Oracle.matmul(bound, a, b, bias, m, k, n);
        String shape = variant + " " + m + "x" + k + "x" + n + (withBias ? " + bias" : "");

        float[] c = Inputs.nan(m * n + 1);
        float[] again = new float[m * n];
        try (Buffer cb = context.floats(m * n + 1L); Buffer ab = context.floats(Math.max(1, m * k));
             Buffer bb = context.floats(Math.max(1, k * n)); Buffer biasb = context.floats(n)) {
            cb.write(c);
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
            cb.read(c);
            launch(variant, cb, ab, bb, withBias ? biasb : null, m, k, n);
            cb.read(again, 0, m * n);
        }
        Compare.within("matmul.cl " + shape, exact, c, bound, m * n);
        if (!Float.isNaN(c[m * n])) {
            throw new AssertionError("matmul.cl " + shape + " wrote past C: element " + m * n + " is " + c[m * n]);
        }
        Compare.bitwise("matmul.cl " + shape + " launched twice", c, again, m * n);
    }

    private static void launch(Variant variant, Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        switch (variant) {
            case TILED -> kernel.matmul(MatmulKernel.Variant.TILED, c, a, b, bias, m, k, n);
            case GEMV -> kernel.matmul(MatmulKernel.Variant.GEMV, c, a, b, bias, m, k, n);
            case PACKED -> packed.matmul(c, a, b, bias, m, k, n);
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0} {1}x{2}x{3}, bias {4}: in bound")
    @CsvSource({"TILED, 19, 7, 3, true", "TILED, 33, 17, 18, false", "PACKED, 19, 7, 3, true",
        "PACKED, 9, 5, 33, false", "GEMV, 35, 2, 1, true", "GEMV, 20, 16, 1, false", "GEMV, 17, 7, 1, true"})
    void strictDevice(Variant variant, int m, int k, int n, boolean withBias) {
        matchesOracle(variant, m, k, n, withBias);
    }
}
