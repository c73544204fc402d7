package org.d2lcl.kernels;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Buffers;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code matmul.cl} against the float64 oracle, {@code |err| <= gamma(K+1)·(Σ|a·b| + |bias|)} per
 * element, and the Java reference against the same bound. Nothing is written past C, and a
 * repeated launch gives the same bits.
 */
class MatmulKernelTest {
    private static Context context;
    private static MatmulKernel kernel;

    @BeforeAll
    @BeforeContainer
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new MatmulKernel(context);
    }

    @AfterAll
    @AfterContainer
    static void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2}, bias {3}: |err| <= gamma(K+1)·Σ|a·b|")
    @CsvSource({
        "1, 1, 1, false", "1, 1, 1, true", "97, 13, 31, false", "97, 13, 31, true", "17, 33, 15, true",
        "15, 17, 16, false", "64, 64, 64, false", "1000, 2, 1, true", "10, 4, 1, true", "3, 200, 5, false",
        "128, 129, 127, true", "1, 1000, 1, false", "33, 1, 17, true", "5, 0, 3, true", "5, 0, 3, false",
        "1000003, 2, 1, true", "1000003, 4, 1, true"
    })
    void matchesOracle(int m, int k, int n, boolean withBias) {
        check(new Random(31L * m + 7L * k + n), m, k, n, withBias);
    }

    /** Random shapes, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random M, K, N: |err| <= gamma(K+1)·Σ|a·b|")
        @Property(tries = 25)
        void randomShapesMatchOracle(@ForAll @IntRange(min = 1, max = 150) int m,
                @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(min = 1, max = 40) int n,
                @ForAll boolean withBias, @ForAll long seed) {
            check(new Random(seed), m, k, n, withBias);
        }
    }

    private static void check(Random rng, int m, int k, int n, boolean withBias) {
        float[] a = Inputs.gaussian(rng, m * k);
        float[] b = Inputs.gaussian(rng, k * n);
        float[] bias = withBias ? Inputs.gaussian(rng, n) : null;
        double[] bound = new double[m * n];
        double[] exact = Oracle.matmul(bound, a, b, bias, m, k, n);
        String shape = m + "x" + k + "x" + n + (withBias ? " + bias" : "");

        float[] c;
        float[] again;
        try (Buffer cb = Buffers.poisoned(context, m * n); Buffer ab = context.floats(m * k);
             Buffer bb = context.floats(k * n); Buffer biasb = context.floats(n)) {
            ab.write(a);
            bb.write(b);
            if (withBias) {
                biasb.write(bias);
            }
            kernel.matmul(cb, ab, bb, withBias ? biasb : null, m, k, n);
            c = Buffers.read(cb);
            cb.write(Inputs.nan(m * n + Inputs.PAD));
            kernel.matmul(cb, ab, bb, withBias ? biasb : null, m, k, n);
            again = Buffers.read(cb);
        }
        Compare.within("matmul.cl " + shape + " (bound gamma(K+1)·Σ|a·b|)", exact, c, bound, m * n);
        Compare.untouchedAfter("matmul.cl " + shape, c, m * n);
        Compare.bitwise("matmul.cl launched twice on the same inputs, " + shape, c, again, m * n);

        float[] ref = Inputs.nan(m * n);
        Reference.matmul(ref, a, b, bias, m, k, n);
        Compare.within("Reference.matmul " + shape + " (bound gamma(K+1)·Σ|a·b|)", exact, ref, bound, m * n);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0}x{1}x{2}, bias {3}: in bound")
    @CsvSource({"1, 1, 1, false", "17, 5, 1, true", "33, 16, 1, false", "19, 7, 3, true"})
    void strictDevice(int m, int k, int n, boolean withBias) {
        matchesOracle(m, k, n, withBias);
    }
}
