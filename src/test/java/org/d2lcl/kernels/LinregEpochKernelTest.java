package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.d2lcl.D2l;
import org.d2lcl.Rng;
import org.d2lcl.StepRule;
import org.d2lcl.backend.Reference;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.StepRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * {@code linreg_epoch.cl}: the parameters and the divergence status bit for bit against
 * {@code Reference.linregEpoch}; the loss against a float64 sum of the same residuals under
 * {@code (lossDepth(n, d) + 1)·u·Σ r²/2}.
 */
@KernelTest
class LinregEpochKernelTest {
    static final DeviceExtension<LinregEpochKernel> device = new DeviceExtension<>(LinregEpochKernel::new);

    @ParameterizedTest(name = "n = {0}, d = {1}, batch size {2}, lr {3}")
    @CsvSource({
        "1, 1, 1, 0.03", "1000, 2, 10, 0.03", "1000, 2, 7, 0.03", "999, 3, 1000, 0.1", "500, 16, 32, 0.01",
        "513, 17, 64, 0.01", "4096, 64, 256, 0.03", "300, 256, 100, 0.001", "200, 512, 64, 0.001",
        "20000, 3, 9000, 0.01"
    })
    void matchesReference(int n, int d, int batchSize, float lr) {
        Random rng = new Random(17L * n + d);
        float[] trueW = Inputs.gaussian(rng, d);
        Dataset data = D2l.syntheticData(trueW, 4.2f, n, rng.nextLong());
        check(device.kernel(), data, Inputs.gaussian(rng, d), 0f, Rng.permutation(new int[n], rng), lr, batchSize,
                true);
    }

    static Stream<Arguments> geometriesAndEpochs() {
        int[][] shapes = {{1000, 2, 10}, {1000, 2, 7}, {513, 17, 64}, {4096, 64, 256}, {20000, 3, 9000}};
        return LinregStepKernelTest.geometries().flatMap(t -> Stream.of(shapes).map(s -> Arguments.of(t, s[0], s[1],
                s[2])));
    }

    /** The geometries of {@link LinregStepKernelTest#geometries()}, with the loss under each one's bound. */
    @ParameterizedTest(name = "{0}: n = {1}, d = {2}, batch size {3}")
    @MethodSource("geometriesAndEpochs")
    void everyGeometryMatchesReference(Tuning.Linreg tuning, int n, int d, int batchSize) {
        Context context = device.context();
        Random rng = new Random(11L * n + d);
        Dataset data = D2l.syntheticData(Inputs.gaussian(rng, d), 4.2f, n, rng.nextLong());
        try (LinregEpochKernel other = new LinregEpochKernel(context, tuning)) {
            check(other, data, Inputs.gaussian(rng, d), 0f, Rng.permutation(new int[n], rng), 0.03f,
                    batchSize, true);
        }
    }

    @Test
    void divergenceIsFlaggedAtTheStepTheReferenceNames() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        Random rng = new Random(1);
        int[] status = check(device.kernel(), data, new float[2], 0f, Rng.permutation(new int[1000], rng), 30f, 10,
                false);
        assertTrue(status[0] > 0, "lr = 30 on the d2l data diverges within the first epoch; status = " + status[0]);
    }

    @Test
    void aConvergingEpochReportsNoDivergence() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        int[] status = check(device.kernel(), data, new float[2], 0f, Rng.permutation(new int[1000], new Random(2)),
                0.03f, 10, true);
        assertEquals(0, status[0], "status after a converging epoch");
    }

    private static int[] check(LinregEpochKernel kernel, Dataset data, float[] w, float b, int[] idx, float lr,
            int batchSize, boolean checkLoss) {
        Context context = device.context();
        int n = data.n();
        int d = data.d();
        float[] wOut = w.clone();
        float[] bOut = {b};
        float[] loss = Inputs.nan(1);
        int[] status = {-1};
        try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer lb = context.floats(1);
             Buffer sb = context.ints(1); Buffer xb = context.floats((long) n * d); Buffer yb = context.floats(n);
             Buffer ib = context.ints(n)) {
            wb.write(w);
            bb.write(bOut);
            lb.write(loss);
            sb.write(status);
            xb.write(data.features());
            yb.write(data.labels());
            ib.write(idx);
            kernel.epoch(wb, bb, lb, sb, xb, yb, ib, lr, batchSize, n, d);
            wb.read(wOut);
            bb.read(bOut);
            lb.read(loss);
            sb.read(status);
        }
        float[] wRef = w.clone();
        float[] bRef = {b};
        float[] lossRef = new float[1];
        int[] statusRef = new int[1];
        Reference.linregEpoch(wRef, bRef, lossRef, statusRef, data.features(), data.labels(), idx, lr, batchSize, n,
                d);
        String what = "linreg_epoch.cl " + kernel.geometry(d) + " n = " + n + ", d = " + d + ", batch size " + batchSize
                + ", lr " + lr;
        Compare.bitwise(what + ": w", wRef, wOut, d);
        Compare.bitwise(what + ": b", bRef, bOut, 1);
        assertEquals(statusRef[0], status[0], what + ": status (1 + first step with a non-finite parameter)");

        if (checkLoss) {
            double exact = 0;
            for (int i = 0; i < n; i++) {
                double r = (Reference.dot16(data.features(), i * d, wOut, d) + bOut[0]) - data.labels()[i];
                exact += r * r / 2;
            }
            long depth = kernel.lossDepth(n, d) + 2;
            double[] bound = {depth * Oracle.U * exact};
            Compare.within(what + ": loss (depth " + depth + ")", new double[] {exact}, loss, bound, 1);
            Compare.within("Reference.linregEpoch " + what + ": loss", new double[] {exact}, lossRef, bound, 1);
        }
        return status;
    }

    /**
     * The rules at one row width (each rule is a program of its own; the widths' own code paths are
     * the chapter's rule's, above), n with rows left over after the blocks of 16: batches of 10, of 7
     * with a last one of 6, and over a run.
     */
    static Stream<Arguments> rulesAndEpochs() {
        int[][] shapes = {{1000, 2, 10}, {1000, 2, 7}, {20000, 2, 9000}};
        return Stream.of(shapes).flatMap(s -> StepRules.all(0.01f, s[2])
                .map(r -> Arguments.of(r, s[0], s[1])));
    }

    /**
     * Each rule of {@link StepRules#all} over two epochs (the first starting the run,
     * momentum's velocity NaN before it): w, b, v and the status bit for bit against
     * {@code Reference.linregEpoch}; the loss, the same float terms summed in another order, within
     * {@code lossDepth(n, d) · u · Σ term} of their float64 sum.
     */
    @ParameterizedTest(name = "{0}: n = {1}, d = {2}: w, b, v bitwise over two epochs, the loss within its bound")
    @MethodSource("rulesAndEpochs")
    void everyRuleMatchesReference(StepRule rule, int n, int d) {
        Context context = device.context();
        Random rng = new Random(13L * n + d);
        Dataset data = D2l.syntheticData(Inputs.gaussian(rng, d), 4.2f, n, rng.nextLong());
        int[] idx = Rng.permutation(new int[n], rng);
        float[][] ref = {Inputs.gaussian(rng, d), {0f}, Inputs.nan(d + 1), new float[1], Inputs.nan(1)};
        float[][] got = {new float[d], new float[1], new float[d + 1], new float[1], new float[1]};
        int[] status = new int[1];
        int[] statusRef = new int[1];
        try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer vb = context.floats(d + 1);
             Buffer lb = context.floats(1); Buffer sb = context.ints(1); Buffer xb = context.floats((long) n * d);
             Buffer yb = context.floats(n); Buffer ib = context.ints(n); Buffer rb = context.floats(1)) {
            wb.write(ref[0]);
            bb.write(ref[1]);
            vb.write(ref[2]);
            rb.write(ref[4]); // NaN: the kernel starts the running loss at 0 itself
            xb.write(data.features());
            yb.write(data.labels());
            ib.write(idx);
            for (boolean first : new boolean[] {true, false}) {
                device.kernel().epoch(wb, bb, vb, rb, lb, sb, xb, yb, ib, rule, first, n, d);
                Reference.linregEpoch(ref[0], ref[1], ref[2], ref[4], ref[3], statusRef, data.features(), data.labels(),
                        idx, rule, first, n, d);
            }
            Buffer[] out = {wb, bb, vb, lb, rb};
            for (int k = 0; k < out.length; k++) {
                out[k].read(got[k]);
            }
            sb.read(status);
        }
        String what = "linreg_epoch.cl " + rule.buildOptions() + " n = " + n + ", d = " + d;
        Compare.bitwise(what + ": w", ref[0], got[0], d);
        Compare.bitwise(what + ": b", ref[1], got[1], 1);
        if (rule.hasVelocity()) {
            Compare.bitwise(what + ": v", ref[2], got[2], d + 1);
        }
        assertEquals(statusRef[0], status[0], what + ": status");
        if (rule.runningLoss()) {
            StepRules.runningLossWithin(what, ref[4][0], got[4][0], (n + rule.batchSize() - 1) / rule.batchSize(),
                    rule.batchSize(), device.kernel().geometry(d).local());
        }
        double exact = 0;
        for (int i = 0; i < n; i++) {
            float r = (Reference.dot16(data.features(), i * d, got[0], d) + got[1][0]) - data.labels()[i];
            exact += Reference.lossTerm(rule.loss().kind(), r, rule.loss().delta());
        }
        long depth = device.kernel().lossDepth(n, d);
        Compare.within(what + ": loss (depth " + depth + ")", new double[] {exact}, got[3],
                new double[] {depth * Oracle.U * exact}, 1);
    }

    static Stream<Arguments> chunkings() {
        // n, d, batch size, rows per chunk of steps and of the loss: chunks of several batches and of
        // all rows, loss chunks that split the blocks of 16 rows, n % 16 rows left over. Every
        // geometry on the chapter's rule; every rule (each a build of its own) on the device's.
        int[][] shapes = {{1000, 2, 10, 70, 37}, {200, 64, 50, 200, 5}};
        return Stream.concat(LinregStepKernelTest.geometries().flatMap(t -> Stream.of(shapes)
                        .map(s -> Arguments.of(t, StepRule.chapter(0.03f, s[2]), s[0], s[1], s[3], s[4]))),
                StepRules.all(0.01f, 7).map(r -> Arguments.of(null, r, 200, 2, 7, 23)));
    }

    /**
     * An epoch whose rows come in chunks: {@code linreg_epoch_steps} on each chunk of the permutation's
     * rows, gathered in order, then {@code linreg_epoch_loss} over chunks of the rows in their own
     * order. Over two epochs, w, b, v, the running loss, the status and the loss are those of
     * {@code linreg_epoch}'s one launch, bit for bit; and so are Reference's chunked functions'
     * against Reference.linregEpoch. {@code tuning} null: the device's own geometry, on the shared
     * kernel object.
     */
    @ParameterizedTest(name = "{0}, {1}: n = {2}, d = {3}, steps in chunks of {4}, the loss in chunks of {5}")
    @MethodSource("chunkings")
    void chunksGiveTheEpochsBits(Tuning.Linreg tuning, StepRule rule, int n, int d, int stepRows, int lossRows) {
        Random rng = new Random(19L * n + d);
        Dataset data = D2l.syntheticData(Inputs.gaussian(rng, d), 4.2f, n, rng.nextLong());
        float[] w0 = Inputs.gaussian(rng, d);
        EpochState whole = new EpochState(w0), chunked = new EpochState(w0);
        EpochState reference = new EpochState(w0), referenceChunked = new EpochState(w0);
        LinregEpochKernel kernel = tuning == null ? device.kernel() : new LinregEpochKernel(device.context(), tuning);
        try {
            for (int epoch = 1; epoch <= 2; epoch++) {
                int[] idx = Rng.permutation(new int[n], rng);
                whole.onDevice(kernel, data, idx, rule, epoch == 1, 0, 0);
                chunked.onDevice(kernel, data, idx, rule, epoch == 1, stepRows, lossRows);
                Reference.linregEpoch(reference.w, reference.b, reference.v, reference.running, reference.loss,
                        reference.status, data.features(), data.labels(), idx, rule, epoch == 1, n, d);
                referenceChunked.inReference(data, idx, rule, epoch == 1, stepRows, lossRows);
                String at = (tuning == null ? kernel.geometry(d) : tuning) + " " + rule.buildOptions() + " n = " + n
                        + ", d = " + d + ", chunks of " + stepRows + " and " + lossRows + ", epoch " + epoch;
                whole.assertSame("linreg_epoch.cl " + at, chunked, rule);
                reference.assertSame("Reference " + at, referenceChunked, rule);
            }
        } finally {
            if (tuning != null) {
                kernel.close();
            }
        }
    }

    /** An epoch's parameters and results, from one epoch to the next. */
    private static final class EpochState {
        final float[] w;
        final float[] b = {0f};
        final float[] v;
        final float[] running = Inputs.nan(1); // the epoch starts it at 0
        final float[] loss = Inputs.nan(1);
        final int[] status = {-1};

        EpochState(float[] w0) {
            w = w0.clone();
            v = Inputs.nan(w0.length + 1); // read only after the run's first step
        }

        /** One epoch on the device: in one launch when stepRows is 0, else in chunks. */
        void onDevice(LinregEpochKernel kernel, Dataset data, int[] idx, StepRule rule, boolean first, int stepRows,
                int lossRows) {
            Context context = device.context();
            int n = data.n(), d = data.d();
            float[] x = data.features(), y = data.labels();
            try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer vb = context.floats(d + 1);
                 Buffer rb = context.floats(1); Buffer lb = context.floats(1); Buffer sb = context.ints(1)) {
                wb.write(w);
                bb.write(b);
                vb.write(v);
                rb.write(running);
                lb.write(loss);
                sb.write(status);
                if (stepRows == 0) {
                    try (Buffer xb = context.floats((long) n * d); Buffer yb = context.floats(n);
                         Buffer ib = context.ints(n)) {
                        xb.write(x);
                        yb.write(y);
                        ib.write(idx);
                        kernel.epoch(wb, bb, vb, rb, lb, sb, xb, yb, ib, rule, first, n, d);
                    }
                } else {
                    for (int start = 0; start < n; start += stepRows) {
                        int rows = Math.min(stepRows, n - start);
                        float[][] chunk = gather(x, y, idx, start, rows, d);
                        try (Buffer xb = context.floats((long) rows * d); Buffer yb = context.floats(rows);
                             Buffer ib = context.ints(rows)) {
                            xb.write(chunk[0]);
                            yb.write(chunk[1]);
                            ib.write(identity(rows));
                            kernel.steps(wb, bb, vb, rb, sb, xb, yb, ib, rule, first && start == 0,
                                    start / rule.batchSize(), rows, d);
                        }
                    }
                    try (Buffer lanes = context.floats(kernel.lanes(n, d, rule))) {
                        for (int start = 0; start < n; start += lossRows) {
                            int rows = Math.min(lossRows, n - start);
                            try (Buffer xb = context.floats((long) rows * d); Buffer yb = context.floats(rows)) {
                                xb.write(Arrays.copyOfRange(x, start * d, (start + rows) * d));
                                yb.write(Arrays.copyOfRange(y, start, start + rows));
                                kernel.loss(lb, lanes, wb, bb, xb, yb, rule, start, rows, n, d);
                            }
                        }
                    }
                }
                wb.read(w);
                bb.read(b);
                vb.read(v);
                rb.read(running);
                lb.read(loss);
                sb.read(status);
            }
        }

        /** One epoch by Reference's chunked functions. */
        void inReference(Dataset data, int[] idx, StepRule rule, boolean first, int stepRows, int lossRows) {
            int n = data.n(), d = data.d();
            float[] x = data.features(), y = data.labels();
            for (int start = 0; start < n; start += stepRows) {
                int rows = Math.min(stepRows, n - start);
                float[][] chunk = gather(x, y, idx, start, rows, d);
                Reference.linregEpochSteps(w, b, v, running, status, chunk[0], chunk[1], identity(rows), rows, rule,
                        first && start == 0, start / rule.batchSize(), d);
            }
            int[] state = {-1, -1};
            for (int start = 0; start < n; start += lossRows) {
                int rows = Math.min(lossRows, n - start);
                Reference.linregEpochLoss(loss, state, w, b, Arrays.copyOfRange(x, start * d, (start + rows) * d),
                        Arrays.copyOfRange(y, start, start + rows), rule, start, rows, n, d);
            }
        }

        void assertSame(String what, EpochState other, StepRule rule) {
            int d = w.length;
            Compare.bitwise(what + ": w", w, other.w, d);
            Compare.bitwise(what + ": b", b, other.b, 1);
            if (rule.hasVelocity()) {
                Compare.bitwise(what + ": v", v, other.v, d + 1);
            }
            if (rule.runningLoss()) {
                Compare.bitwise(what + ": the running loss", running, other.running, 1);
            }
            Compare.bitwise(what + ": the loss", loss, other.loss, 1);
            assertEquals(status[0], other.status[0], what + ": status");
        }

        private static float[][] gather(float[] x, float[] y, int[] idx, int start, int rows, int d) {
            float[][] chunk = {new float[rows * d], new float[rows]};
            for (int i = 0; i < rows; i++) {
                System.arraycopy(x, idx[start + i] * d, chunk[0], i * d, d);
                chunk[1][i] = y[idx[start + i]];
            }
            return chunk;
        }

        private static int[] identity(int rows) {
            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            return order;
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, d = {1}, batch size {2}: every geometry")
    @CsvSource({"1, 1, 1", "40, 2, 10", "37, 17, 8", "45, 3, 45"})
    void strictDevice(int n, int d, int batchSize) {
        matchesReference(n, d, batchSize, 0.03f);
        if (n == 40) {
            StepRules.all(0.01f, batchSize).forEach(r -> everyRuleMatchesReference(r, n, d));
        }
        LinregStepKernelTest.strictGeometries().forEach(t -> everyGeometryMatchesReference(t, n, d, batchSize));
        LinregStepKernelTest.strictGeometries().forEach(t -> chunksGiveTheEpochsBits(t,
                StepRule.chapter(0.03f, batchSize), n, d, batchSize, 7));
    }
}
