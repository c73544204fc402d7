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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code loss_grad.cl}, in the variant the batch length picks and in each variant by name, against
 * the float64 oracle: {@code dw = X^T (yHat - y)} and {@code db = sum(yHat - y)} within
 * {@code gamma(n+1)·Σ|x·r|} each; the Java reference is held to the same bound. Nothing is written
 * past dw or db (poisoned, padded outputs), and a repeated launch gives the same bits (the sums run
 * in a fixed order). The shapes cover row widths around the 16-column blocks, a few rows and many,
 * and the {@code StepBench} shapes.
 */
@KernelTest
class LossGradKernelTest {
    /** How the gradient is launched. */
    enum Variant {
        /** {@link LossGradKernel#lossGrad(Buffer, Buffer, Buffer, Buffer, Buffer, int, int)}: by batch length. */
        AUTO,
        PER_OUTPUT,
        ROWS
    }

    static final DeviceExtension<LossGradKernel> device = new DeviceExtension<>(LossGradKernel::new);

    @ParameterizedTest(name = "{0} n = {1}, d = {2}, residual scale {3}: |err| <= gamma(n+1)·Σ|x·r|")
    @CsvSource({
        "AUTO, 1, 1, 1", "AUTO, 2, 1, 1", "AUTO, 10, 2, 1", "AUTO, 10, 2, 0.01", "AUTO, 63, 2, 1", "AUTO, 64, 2, 1",
        "AUTO, 65, 2, 1", "AUTO, 97, 13, 1", "AUTO, 257, 5, 0.01", "AUTO, 1000, 4, 1", "AUTO, 4099, 3, 1",
        "AUTO, 1000003, 2, 0.01",
        "PER_OUTPUT, 1, 1, 1", "PER_OUTPUT, 10, 2, 1", "PER_OUTPUT, 300, 17, 1", "PER_OUTPUT, 5000, 3, 1",
        "ROWS, 1, 1, 1", "ROWS, 10, 2, 1", "ROWS, 17, 15, 1", "ROWS, 100, 16, 1", "ROWS, 333, 17, 1",
        "ROWS, 5000, 3, 1", "ROWS, 4096, 64, 1", "ROWS, 65536, 256, 1", "ROWS, 4194304, 2, 1"
    })
    void matchesOracle(Variant variant, int n, int d, double residualScale) {
        check(variant, new Random(31L * n + d), n, d, residualScale);
    }

    /** Random shapes, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomShapes {
        @Label("random n and d: |err| <= gamma(n+1)·Σ|x·r|")
        @Property(tries = 20)
        void randomShapesMatchOracle(@ForAll @IntRange(min = 1, max = 3000) int n,
                @ForAll @IntRange(min = 1, max = 40) int d, @ForAll long seed) {
            check(Variant.AUTO, new Random(seed), n, d, 1.0);
        }
    }

    /**
     * {@code yHat = y + residualScale·N(0, 1)}: at 0.01 the residuals are as small as the
     * chapter's near the end of training, and {@code yHat - y} cancels most of the leading bits.
     */
    private static void check(Variant variant, Random rng, int n, int d, double residualScale) {
        String what = "loss_grad.cl " + variant + ", n = " + n + ", d = " + d + ", residual scale " + residualScale;
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.wide(rng, n);
        float[] yHat = new float[n];
        for (int i = 0; i < n; i++) {
            yHat[i] = (float) (y[i] + residualScale * rng.nextGaussian());
        }
        double[] bound = new double[d + 1];
        double[] exact = Oracle.lossGrad(bound, x, yHat, y, n, d);

        Context context = device.context();
        float[] first;
        float[] again;
        try (Buffer dw = Buffers.poisoned(context, d); Buffer db = Buffers.poisoned(context, 1);
             Buffer xb = Buffers.of(context, x); Buffer yHatB = Buffers.of(context, yHat);
             Buffer yb = Buffers.of(context, y)) {
            Runnable launch = () -> launch(variant, dw, db, xb, yHatB, yb, n, d);
            first = Buffers.launchGradient(dw, db, d, what, launch);
            again = Buffers.launchGradient(dw, db, d, what + " (launched again)", launch);
        }
        Compare.within(what + " (dw[0..d), then db; bound gamma(n+1)·Σ|x·r|)", exact, first, bound, d + 1);
        Compare.bitwise(what + " launched twice on the same inputs", first, again, d + 1);

        float[] dwRef = Inputs.nan(d);
        float[] dbRef = Inputs.nan(1);
        Reference.lossGrad(dwRef, dbRef, x, yHat, y, n, d);
        float[] ref = new float[d + 1];
        System.arraycopy(dwRef, 0, ref, 0, d);
        ref[d] = dbRef[0];
        Compare.within("Reference.lossGrad, n = " + n + ", d = " + d + ", residual scale " + residualScale
                + " (bound gamma(n+1)·Σ|x·r|)", exact, ref, bound, d + 1);
    }

    private static void launch(Variant variant, Buffer dw, Buffer db, Buffer x, Buffer yHat, Buffer y, int n, int d) {
        LossGradKernel kernel = device.kernel();
        switch (variant) {
            case AUTO -> kernel.lossGrad(dw, db, x, yHat, y, n, d);
            case PER_OUTPUT -> kernel.lossGrad(LossGradKernel.Variant.PER_OUTPUT, dw, db, x, yHat, y, n, d);
            case ROWS -> kernel.lossGrad(LossGradKernel.Variant.ROWS, dw, db, x, yHat, y, n, d);
        }
    }


    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch the host can choose.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0} n = {1}, d = {2}: in bound, the same bits twice")
    @CsvSource({"AUTO, 1, 1", "AUTO, 37, 5", "AUTO, 130, 17", "PER_OUTPUT, 37, 5", "ROWS, 37, 5", "ROWS, 130, 17",
        "PER_OUTPUT, 1, 1"})
    void strictDevice(Variant variant, int n, int d) {
        matchesOracle(variant, n, d, 1.0);
    }
}
