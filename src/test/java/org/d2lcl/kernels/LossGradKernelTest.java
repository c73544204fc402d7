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
 * {@code loss_grad.cl} against the float64 oracle: {@code dw = X^T (yHat - y)} and
 * {@code db = sum(yHat - y)} within {@code gamma(n+1)·Σ|x·r|} each; the Java reference is held
 * to the same bound. A repeated launch gives the same bits (the sums run in a fixed order).
 */
class LossGradKernelTest {
    private static Context context;
    private static LossGradKernel kernel;

    @BeforeAll
    @BeforeContainer
    static void open() {
        context = Context.create(TestDevice.get());
        kernel = new LossGradKernel(context);
    }

    @AfterAll
    @AfterContainer
    static void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @ParameterizedTest(name = "n = {0}, d = {1}, residual scale {2}: |err| <= gamma(n+1)·Σ|x·r|")
    @CsvSource({
        "1, 1, 1", "2, 1, 1", "10, 2, 1", "10, 2, 0.01", "63, 2, 1", "64, 2, 1", "65, 2, 1", "97, 13, 1",
        "257, 5, 0.01", "1000, 4, 1", "4099, 3, 1", "1000003, 2, 0.01"
    })
    void matchesOracle(int n, int d, double residualScale) {
        check(new Random(31L * n + d), n, d, residualScale);
    }

    /** Random shapes, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random n and d: |err| <= gamma(n+1)·Σ|x·r|")
        @Property(tries = 20)
        void randomShapesMatchOracle(@ForAll @IntRange(min = 1, max = 3000) int n,
                @ForAll @IntRange(min = 1, max = 40) int d, @ForAll long seed) {
            check(new Random(seed), n, d, 1.0);
        }
    }

    /**
     * {@code yHat = y + residualScale·N(0, 1)}: at 0.01 the residuals are as small as the
     * chapter's near the end of training, and {@code yHat - y} cancels most of the leading bits.
     */
    private static void check(Random rng, int n, int d, double residualScale) {
        String what = "n = " + n + ", d = " + d + ", residual scale " + residualScale;
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.wide(rng, n);
        float[] yHat = new float[n];
        for (int i = 0; i < n; i++) {
            yHat[i] = (float) (y[i] + residualScale * rng.nextGaussian());
        }
        double[] bound = new double[d + 1];
        double[] exact = Oracle.lossGrad(bound, x, yHat, y, n, d);

        float[] first;
        float[] again;
        try (Buffer dw = Buffers.poisoned(context, d); Buffer db = Buffers.poisoned(context, 1);
             Buffer xb = Buffers.of(context, x); Buffer yHatB = Buffers.of(context, yHat);
             Buffer yb = Buffers.of(context, y)) {
            kernel.lossGrad(dw, db, xb, yHatB, yb, n, d);
            first = gradient(dw, db, d, "loss_grad.cl, " + what);
            dw.write(Inputs.nan(d + Inputs.PAD));
            db.write(Inputs.nan(1 + Inputs.PAD));
            kernel.lossGrad(dw, db, xb, yHatB, yb, n, d);
            again = gradient(dw, db, d, "loss_grad.cl (launched again), " + what);
        }
        Compare.within("loss_grad.cl, " + what + " (dw[0..d), then db; bound gamma(n+1)·Σ|x·r|)", exact, first,
                bound, d + 1);
        Compare.bitwise("loss_grad.cl launched twice on the same inputs, " + what, first, again, d + 1);

        float[] dwRef = Inputs.nan(d);
        float[] dbRef = Inputs.nan(1);
        Reference.lossGrad(dwRef, dbRef, x, yHat, y, n, d);
        float[] ref = new float[d + 1];
        System.arraycopy(dwRef, 0, ref, 0, d);
        ref[d] = dbRef[0];
        Compare.within("Reference.lossGrad, " + what + " (bound gamma(n+1)·Σ|x·r|)", exact, ref, bound, d + 1);
    }

    /** dw[0..d) then db, after checking that nothing past either was written. */
    private static float[] gradient(Buffer dw, Buffer db, int d, String what) {
        float[] dwOut = Buffers.read(dw);
        float[] dbOut = Buffers.read(db);
        Compare.untouchedAfter(what + " (dw)", dwOut, d);
        Compare.untouchedAfter(what + " (db)", dbOut, 1);
        float[] g = new float[d + 1];
        System.arraycopy(dwOut, 0, g, 0, d);
        g[d] = dbOut[0];
        return g;
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, d = {1}: in bound")
    @CsvSource({"1, 1", "37, 5", "130, 17"})
    void strictDevice(int n, int d) {
        matchesOracle(n, d, 1.0);
    }
}
