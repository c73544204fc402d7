package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.d2lcl.D2l;
import org.d2lcl.Dataset;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code linreg_step.cl} and {@code linreg_epoch.cl} in every geometry a device may be given, on
 * this device: the GPU's 64 work-items with no prefetch, the CPU's one item with and without rows
 * prefetched ahead, and an odd size; each bit for bit against {@code Reference}. The parameters'
 * bits are part of the kernels' definition, so no work-group size, chunk or prefetch distance may
 * change them. The epoch loss, whose order depends on the work-group size, within its stated bound.
 */
class LinregKernelVariantsTest {
    private static Context context;

    @BeforeAll
    static void open() {
        context = Context.create(TestDevice.get());
    }

    @AfterAll
    static void close() {
        if (context != null) {
            context.close();
        }
    }

    static Stream<Tuning.Linreg> tunings() {
        return Stream.of(new Tuning.Linreg(64, 64, 0), new Tuning.Linreg(1, 64, 64), new Tuning.Linreg(1, 64, 0),
                new Tuning.Linreg(4, 16, 5));
    }

    /** n, d, start, count, batch size: a last short batch, rows around 16 lanes, runs past 4096 rows. */
    static Stream<Arguments> steps() {
        int[][] shapes = {{1000, 2, 990, 10, 10}, {50, 17, 3, 40, 64}, {700, 64, 100, 256, 256},
            {9000, 3, 500, 8193, 8193}};
        return tunings().flatMap(t -> Stream.of(shapes).map(s -> Arguments.of(t, s[0], s[1], s[2], s[3], s[4])));
    }

    /** n, d, batch size: the chapter's run, a last partial batch, wide rows, batches longer than a run. */
    static Stream<Arguments> epochs() {
        int[][] shapes = {{1000, 2, 10}, {1000, 2, 7}, {513, 17, 64}, {4096, 64, 256}, {20000, 3, 9000}};
        return tunings().flatMap(t -> Stream.of(shapes).map(s -> Arguments.of(t, s[0], s[1], s[2])));
    }

    @ParameterizedTest(name = "{0}: step n = {1}, d = {2}, rows [{3}, {3} + {4}), batch size {5}: bitwise")
    @MethodSource("steps")
    void stepMatchesReference(Tuning.Linreg tuning, int n, int d, int start, int count, int batchSize) {
        Random rng = new Random(7L * n + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        float[] w = Inputs.gaussian(rng, d);
        float[] b = {(float) rng.nextGaussian()};
        int[] idx = LinregStepKernelTest.permutation(rng, n);
        float[] wOut = w.clone();
        float[] bOut = b.clone();
        try (LinregStepKernel kernel = new LinregStepKernel(context, tuning);
             Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer xb = context.floats((long) n * d);
             Buffer yb = context.floats(n); Buffer ib = context.ints(n)) {
            wb.write(w);
            bb.write(b);
            xb.write(x);
            yb.write(y);
            ib.write(idx);
            kernel.step(wb, bb, xb, yb, ib, start, count, 0.03f, batchSize, d);
            wb.read(wOut);
            bb.read(bOut);
        }
        Reference.linregStep(w, b, x, y, idx, start, count, 0.03f, batchSize, d);
        String what = "linreg_step.cl " + tuning + " n = " + n + ", d = " + d + ", rows [" + start + ", "
                + (start + count) + ")";
        Compare.bitwise(what + ": w", w, wOut, d);
        Compare.bitwise(what + ": b", b, bOut, 1);
    }

    @ParameterizedTest(name = "{0}: epoch n = {1}, d = {2}, batch size {3}: bitwise")
    @MethodSource("epochs")
    void epochMatchesReference(Tuning.Linreg tuning, int n, int d, int batchSize) {
        Random rng = new Random(11L * n + d);
        Dataset data = D2l.syntheticData(Inputs.gaussian(rng, d), 4.2f, n, rng.nextLong());
        float[] w = Inputs.gaussian(rng, d);
        float[] b = {0f};
        int[] idx = LinregStepKernelTest.permutation(rng, n);
        float[] wOut = w.clone();
        float[] bOut = b.clone();
        int[] status = {-1};
        float[] loss = Inputs.nan(1);
        long depth;
        try (LinregEpochKernel kernel = new LinregEpochKernel(context, tuning);
             Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer lb = context.floats(1);
             Buffer sb = context.ints(1); Buffer xb = context.floats((long) n * d); Buffer yb = context.floats(n);
             Buffer ib = context.ints(n)) {
            wb.write(w);
            bb.write(b);
            sb.write(status);
            lb.write(loss);
            xb.write(data.features());
            yb.write(data.labels());
            ib.write(idx);
            kernel.epoch(wb, bb, lb, sb, xb, yb, ib, 0.03f, batchSize, n, d);
            wb.read(wOut);
            bb.read(bOut);
            sb.read(status);
            lb.read(loss);
            depth = kernel.lossDepth(n) + 2;
        }
        int[] statusRef = new int[1];
        Reference.linregEpoch(w, b, new float[1], statusRef, data.features(), data.labels(), idx, 0.03f, batchSize, n,
                d);
        String what = "linreg_epoch.cl " + tuning + " n = " + n + ", d = " + d + ", batch size " + batchSize;
        Compare.bitwise(what + ": w", w, wOut, d);
        Compare.bitwise(what + ": b", b, bOut, 1);
        assertEquals(statusRef[0], status[0], what + ": status");
        double exact = 0;
        for (int i = 0; i < n; i++) {
            double r = (Reference.dot16(data.features(), i * d, wOut, d) + bOut[0]) - data.labels()[i];
            exact += r * r / 2;
        }
        Compare.within(what + ": loss (depth " + depth + ")", new double[] {exact}, loss,
                new double[] {depth * Oracle.U * exact}, 1);
    }
}
