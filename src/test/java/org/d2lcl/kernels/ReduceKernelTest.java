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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code reduce.cl} against the float64 oracle under {@code depth(n)·u·Σ|x|}, at lengths around
 * the vector width and the work-item count and at the benchmarks' lengths ({@code ReduceBench});
 * a repeated sum gives the same bits.
 */
class ReduceKernelTest {
    private static Context context;
    private static ReduceKernel kernel;

    @BeforeAll
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new ReduceKernel(context);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    @ParameterizedTest(name = "n = {0}: |err| <= depth(n)·u·Σ|x|, the same bits twice")
    @CsvSource({"1", "2", "15", "16", "17", "255", "256", "257", "4095", "4096", "4097", "65537", "1000003",
        "1048576", "33554432"})
    void matchesOracleAndRepeats(int n) {
        float[] x = Inputs.gaussian(new Random(n), n);
        double[] sumAbs = new double[1];
        double[] exact = {Oracle.sum(x, n, sumAbs)};
        long depth = kernel.depth(n);
        double[] bound = {depth * Oracle.U * sumAbs[0]};
        float[] first = Inputs.nan(1);
        float[] again = Inputs.nan(1);
        try (Buffer out = context.floats(1); Buffer xb = context.floats(n)) {
            xb.write(x);
            out.write(first);
            kernel.sum(out, xb, n);
            out.read(first);
            out.write(again);
            kernel.sum(out, xb, n);
            out.read(again);
        }
        String what = "reduce.cl n = " + n + " (depth " + depth + ")";
        Compare.within(what, exact, first, bound, 1);
        Compare.bitwise(what + ", summed twice", first, again, 1);
        Compare.within("Reference.sum n = " + n, exact, new float[] {Reference.sum(x, n)}, bound, 1);
    }
}
