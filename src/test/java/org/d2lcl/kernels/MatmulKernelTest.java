package org.d2lcl.kernels;

import java.util.Random;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code matmul.cl} against the float64 oracle, and the Java reference against the same bound. */
class MatmulKernelTest {
    private static Context context;
    private static MatmulKernel kernel;

    @BeforeAll
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new MatmulKernel(context);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, bias {3}: |err| <= (K+1)·u·Σ|a·b|")
    @CsvSource({
        "1, 1, 1, false", "1, 1, 1, true", "97, 13, 31, false", "97, 13, 31, true", "17, 33, 15, true",
        "64, 64, 64, false", "1000, 2, 1, true", "10, 4, 1, true", "3, 200, 5, false", "128, 129, 127, true",
        "1000003, 2, 1, true"
    })
    void matchesOracle(int m, int k, int n, boolean withBias) {
        check(new Random(31L * m + 7L * k + n), m, k, n, withBias);
    }

    @Test
    void randomShapes() {
        Random rng = new Random(2024);
        for (int trial = 0; trial < 25; trial++) {
            check(rng, 1 + rng.nextInt(150), 1 + rng.nextInt(70), 1 + rng.nextInt(40), rng.nextBoolean());
        }
    }

    private static void check(Random rng, int m, int k, int n, boolean withBias) {
        float[] a = Inputs.gaussian(rng, m * k);
        float[] b = Inputs.gaussian(rng, k * n);
        float[] bias = withBias ? Inputs.gaussian(rng, n) : null;
        double[] bound = new double[m * n];
        double[] exact = Oracle.matmul(bound, a, b, bias, m, k, n);
        String shape = m + "x" + k + "x" + n + (withBias ? " + bias" : "");

        float[] c = Inputs.nan(m * n);
        try (Buffer cb = context.floats(m * n); Buffer ab = context.floats(m * k); Buffer bb = context.floats(k * n);
             Buffer biasb = context.floats(n)) {
            cb.write(c);
            ab.write(a);
            bb.write(b);
            if (withBias) {
                biasb.write(bias);
            }
            kernel.matmul(cb, ab, bb, withBias ? biasb : null, m, k, n);
            cb.read(c);
        }
        Compare.within("matmul.cl " + shape, exact, c, bound, m * n);

        float[] ref = Inputs.nan(m * n);
        Reference.matmul(ref, a, b, bias, m, k, n);
        Compare.within("Reference.matmul " + shape, exact, ref, bound, m * n);
    }
}
