package org.d2lcl.kernels;

import java.util.Random;
import org.d2lcl.kernels.LossGradKernel.Variant;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
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
 * Both variants of {@code loss_grad.cl}, whichever the batch length would pick, against the
 * float64 oracle under {@code (n + 1)·u·Σ|x r|}: row widths around the 16-column blocks, a few
 * rows and many, and the {@code StepBench} shapes. A repeated launch gives the same bits.
 */
class LossGradKernelVariantsTest {
    private static Context context;
    private static LossGradKernel kernel;

    @BeforeAll
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new LossGradKernel(context);
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    @ParameterizedTest(name = "{0} n = {1}, d = {2}: |err| <= (n+1)·u·Σ|x r|, the same bits twice")
    @CsvSource({
        "PER_OUTPUT, 1, 1", "PER_OUTPUT, 10, 2", "PER_OUTPUT, 300, 17", "PER_OUTPUT, 5000, 3",
        "ROWS, 1, 1", "ROWS, 10, 2", "ROWS, 17, 15", "ROWS, 100, 16", "ROWS, 333, 17", "ROWS, 5000, 3",
        "ROWS, 4096, 64", "ROWS, 65536, 256", "ROWS, 4194304, 2"
    })
    void matchesOracle(Variant variant, int n, int d) {
        Random rng = new Random(13L * n + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] yHat = Inputs.gaussian(rng, n);
        float[] y = Inputs.gaussian(rng, n);
        double[] bound = new double[d + 1];
        double[] exact = Oracle.lossGrad(bound, x, yHat, y, n, d);
        float[] first = new float[d + 1];
        float[] again = new float[d + 1];
        try (Buffer dw = context.floats(d); Buffer db = context.floats(1); Buffer xb = context.floats((long) n * d);
             Buffer yHatB = context.floats(n); Buffer yb = context.floats(n)) {
            xb.write(x);
            yHatB.write(yHat);
            yb.write(y);
            for (float[] out : new float[][] {first, again}) {
                dw.write(Inputs.nan(d));
                db.write(Inputs.nan(1));
                kernel.lossGrad(variant, dw, db, xb, yHatB, yb, n, d);
                float[] bias = new float[1];
                dw.read(out, 0, d);
                db.read(bias);
                out[d] = bias[0];
            }
        }
        String what = "loss_grad.cl " + variant + " n = " + n + ", d = " + d + " (dw, then db)";
        Compare.within(what, exact, first, bound, d + 1);
        Compare.bitwise(what + " launched twice", first, again, d + 1);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0} n = {1}, d = {2}: in bound, the same bits twice")
    @CsvSource({"PER_OUTPUT, 37, 5", "ROWS, 37, 5", "ROWS, 130, 17", "PER_OUTPUT, 1, 1"})
    void strictDevice(Variant variant, int n, int d) {
        matchesOracle(variant, n, d);
    }
}
