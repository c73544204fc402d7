package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.d2lcl.D2l;
import org.d2lcl.Rng;
import org.d2lcl.RunEpoch;
import org.d2lcl.StepRule;
import org.d2lcl.backend.Reference;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.d2lcl.testing.StepRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code linreg_sweep.cl}: every run of a launch, over two epochs, gives bit for bit what
 * {@code linreg_epoch.cl} gives it alone (w, b, v, the loss, the running loss and the status: the
 * same operations with the same L), and w, b, v and the status of {@code Reference.linregSweep}.
 * The runs differ in lr, batch size (one over a run of 4096 rows), n and data; two share their
 * rows and their permutation; one diverges; their order in the plan is not theirs; and a run left
 * out of the plan is not touched.
 */
@KernelTest
class LinregSweepKernelTest {
    /** The epoch kernel and the sweep kernel built from it, in one context. */
    record Pair(LinregEpochKernel epochs, LinregSweepKernel sweeps) implements AutoCloseable {
        Pair(Context context, Tuning.Linreg tuning) {
            this(new LinregEpochKernel(context, tuning), context);
        }

        private Pair(LinregEpochKernel epochs, Context context) {
            this(epochs, new LinregSweepKernel(context, epochs));
        }

        @Override
        public void close() {
            sweeps.close();
            epochs.close();
        }
    }

    static final DeviceExtension<Pair> device = new DeviceExtension<>(c -> new Pair(c, Tuning.linreg(c.device())));

    /** One run of the launch: its data, its permutations (one per epoch) and its hyper-parameters. */
    record Run(Dataset data, int[][] idx, float lr, int batchSize) {
    }

    /**
     * Five runs at row width {@code d}, under {@code template}'s loss and optimizer: 1000 rows with
     * batches of 10 and of 7 on the same rows and permutations, 37 rows in one batch, a batch over a
     * run (when {@code large}), and lr 30 (1e8 on the 5 steps of 40 rows), which diverges.
     */
    static List<Run> runs(StepRule template, int d, boolean large, long seed) {
        Random rng = new Random(seed);
        Dataset shared = D2l.syntheticData(Inputs.gaussian(rng, d), 4.2f, large ? 1000 : 40, rng.nextLong());
        int[][] order = permutations(rng, shared.n());
        List<Run> runs = new ArrayList<>();
        runs.add(new Run(shared, order, 0.01f, large ? 10 : 8));
        runs.add(new Run(shared, order, 0.03f, 7));
        Dataset small = D2l.syntheticData(Inputs.gaussian(rng, d), -1f, 37, rng.nextLong());
        runs.add(new Run(small, permutations(rng, 37), 0.1f, 37));
        if (large) {
            Dataset big = D2l.syntheticData(Inputs.gaussian(rng, d), 0.5f, 5000, rng.nextLong());
            runs.add(new Run(big, permutations(rng, 5000), 0.01f, 4500));
        }
        runs.add(new Run(shared, permutations(rng, shared.n()), large ? 30f : 1e8f, 10)); // diverges
        return runs;
    }

    private static int[][] permutations(Random rng, int n) {
        return new int[][] {Rng.permutation(new int[n], rng), Rng.permutation(new int[n], rng)};
    }

    static StepRule rule(StepRule template, Run run) {
        return new StepRule(template.loss(), template.optimizer(), run.lr(), run.batchSize(), template.runningLoss());
    }

    static Stream<Arguments> rulesAndWidths() {
        return Stream.of(2, 17).flatMap(d -> StepRules.all(0.01f, 10).map(r -> Arguments.of(r, d)));
    }

    @ParameterizedTest(name = "{0}, d = {1}: each run bitwise as alone and as Reference.linregSweep")
    @MethodSource("rulesAndWidths")
    void everyRunIsItsEpochAlone(StepRule template, int d) {
        check(device.kernel(), runs(template, d, true, 31L * d + template.hashCode()), template, d);
    }

    static Stream<Arguments> geometriesAndWidths() {
        return LinregStepKernelTest.geometries().flatMap(t -> Stream.of(2, 17).map(d -> Arguments.of(t, d)));
    }

    /** The geometries of {@link LinregStepKernelTest#geometries()}: the sweep takes each from the epoch kernel. */
    @ParameterizedTest(name = "{0}, d = {1}: the chapter's rule, each run bitwise as alone")
    @MethodSource("geometriesAndWidths")
    void everyGeometryGivesEachRunItsBitsAlone(Tuning.Linreg tuning, int d) {
        try (Pair other = new Pair(device.context(), tuning)) {
            StepRule chapter = StepRule.chapter(0.03f, 10);
            check(other, runs(chapter, d, true, 7L * d), chapter, d);
            assertTrue(other.sweeps().geometry(d, chapter).equals(other.epochs().geometry(d, chapter)),
                    "the sweep kernel's geometry is the epoch kernel's");
        }
    }

    /**
     * Runs the launch twice (epochs 1 and 2), then each run alone on the epoch kernel and in the
     * reference, and compares.
     */
    private static void check(Pair kernels, List<Run> runs, StepRule template, int d) {
        Context context = device.context();
        int count = runs.size() + 1; // the last run is left out of the plan
        int rows = 0;
        int indices = 0;
        List<Dataset> datasets = new ArrayList<>();
        List<int[][]> orders = new ArrayList<>();
        int[] row = new int[runs.size()];
        int[] start = new int[runs.size()];
        for (int k = 0; k < runs.size(); k++) {
            Run run = runs.get(k);
            int at = datasets.indexOf(run.data());
            if (at < 0) {
                datasets.add(run.data());
                at = datasets.size() - 1;
            }
            row[k] = 0;
            for (int j = 0; j < at; j++) {
                row[k] += datasets.get(j).n();
            }
            int p = orders.indexOf(run.idx());
            if (p < 0) {
                orders.add(run.idx());
                p = orders.size() - 1;
            }
            start[k] = 0;
            for (int j = 0; j < p; j++) {
                start[k] += orders.get(j)[0].length;
            }
        }
        for (Dataset data : datasets) {
            rows += data.n();
        }
        for (int[][] o : orders) {
            indices += o[0].length;
        }
        float[] x = new float[rows * d];
        float[] y = new float[rows];
        for (int j = 0, at = 0; j < datasets.size(); at += datasets.get(j).n(), j++) {
            System.arraycopy(datasets.get(j).features(), 0, x, at * d, datasets.get(j).n() * d);
            System.arraycopy(datasets.get(j).labels(), 0, y, at, datasets.get(j).n());
        }
        Random rng = new Random(5);
        float[] w0 = Inputs.gaussian(rng, count * d);
        float[] b0 = Inputs.gaussian(rng, count);
        Arrays.fill(w0, runs.size() * d, count * d, Float.NaN); // the run left out: must stay NaN
        float[] v0 = Inputs.nan(count * (d + 1));

        // The sweep, and its reference.
        float[][] got = {w0.clone(), b0.clone(), v0.clone(), Inputs.nan(count), Inputs.nan(count)};
        int[] status = new int[count];
        float[][] ref = {w0.clone(), b0.clone(), v0.clone(), new float[count], new float[count]};
        int[] statusRef = new int[count];
        List<Integer> order = new ArrayList<>();
        for (int k = runs.size() - 1; k >= 0; k -= 2) {
            order.add(k);
        }
        for (int k = runs.size() - 2; k >= 0; k -= 2) {
            order.add(k);
        }
        try (Buffer wb = context.floats((long) count * d); Buffer bb = context.floats(count);
             Buffer vb = context.floats((long) count * (d + 1)); Buffer lb = context.floats(count);
             Buffer rb = context.floats(count); Buffer sb = context.ints(count); Buffer xb = context.floats(x.length);
             Buffer yb = context.floats(rows); Buffer ib = context.ints(indices)) {
            wb.write(got[0]);
            bb.write(got[1]);
            vb.write(got[2]);
            lb.write(got[3]);
            rb.write(got[4]);
            sb.write(status);
            xb.write(x);
            yb.write(y);
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] idx = new int[indices];
                for (int j = 0, at = 0; j < orders.size(); at += orders.get(j)[0].length, j++) {
                    System.arraycopy(orders.get(j)[epoch], 0, idx, at, orders.get(j)[epoch].length);
                }
                ib.write(idx);
                List<RunEpoch> plan = new ArrayList<>();
                for (int k : order) {
                    plan.add(new RunEpoch(k, rule(template, runs.get(k)), runs.get(k).data().n(), row[k], start[k],
                            epoch == 0));
                }
                kernels.sweeps().sweep(wb, bb, vb, rb, lb, sb, xb, yb, ib, plan, d);
                Reference.linregSweep(ref[0], ref[1], ref[2], ref[4], ref[3], statusRef, x, y, idx, plan, d);
            }
            Buffer[] out = {wb, bb, vb, lb, rb};
            for (int k = 0; k < out.length; k++) {
                out[k].read(got[k]);
            }
            sb.read(status);
        }
        String what = "linreg_sweep.cl " + template.buildOptions() + " d = " + d + " "
                + kernels.sweeps().geometry(d, template);
        Compare.bitwise(what + ": w vs Reference.linregSweep", ref[0], got[0], count * d);
        Compare.bitwise(what + ": b vs Reference.linregSweep", ref[1], got[1], count);
        if (template.hasVelocity()) {
            Compare.bitwise(what + ": v vs Reference.linregSweep", Arrays.copyOf(ref[2], runs.size() * (d + 1)),
                    Arrays.copyOf(got[2], runs.size() * (d + 1)), runs.size() * (d + 1));
        }
        assertArrayEquals(statusRef, status, what + ": status vs Reference.linregSweep");
        if (template.isChapters()) {
            assertTrue(status[runs.size() - 1] > 0, what + ": the last run diverges; status " + Arrays.toString(status));
        }

        // Each run alone.
        for (int k = 0; k < runs.size(); k++) {
            Run run = runs.get(k);
            StepRule rule = rule(template, run);
            int n = run.data().n();
            float[][] alone = {Arrays.copyOfRange(w0, k * d, k * d + d), {b0[k]},
                    Arrays.copyOfRange(v0, k * (d + 1), (k + 1) * (d + 1)), new float[1], new float[1]};
            int[] statusAlone = new int[1];
            try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer vb = context.floats(d + 1);
                 Buffer lb = context.floats(1); Buffer rb = context.floats(1); Buffer sb = context.ints(1);
                 Buffer xb = context.floats((long) n * d); Buffer yb = context.floats(n); Buffer ib = context.ints(n)) {
                wb.write(alone[0]);
                bb.write(alone[1]);
                vb.write(alone[2]);
                xb.write(run.data().features());
                yb.write(run.data().labels());
                for (int epoch = 0; epoch < 2; epoch++) {
                    ib.write(run.idx()[epoch]);
                    kernels.epochs().epoch(wb, bb, vb, rb, lb, sb, xb, yb, ib, rule, epoch == 0, n, d);
                }
                Buffer[] out = {wb, bb, vb, lb, rb};
                for (int j = 0; j < out.length; j++) {
                    out[j].read(alone[j]);
                }
                sb.read(statusAlone);
            }
            String at = what + ", run " + k + " (n " + n + ", lr " + run.lr() + ", batch " + run.batchSize() + ") vs alone";
            Compare.bitwise(at + ": w", alone[0], Arrays.copyOfRange(got[0], k * d, k * d + d), d);
            Compare.bitwise(at + ": b", alone[1], new float[] {got[1][k]}, 1);
            if (rule.hasVelocity()) {
                Compare.bitwise(at + ": v", alone[2], Arrays.copyOfRange(got[2], k * (d + 1), (k + 1) * (d + 1)), d + 1);
            }
            Compare.bitwise(at + ": loss", alone[3], new float[] {got[3][k]}, 1);
            if (rule.runningLoss()) {
                Compare.bitwise(at + ": running loss", alone[4], new float[] {got[4][k]}, 1);
            }
            assertArrayEquals(statusAlone, new int[] {status[k]}, at + ": status");
        }
        int left = runs.size();
        for (int j = 0; j < d; j++) {
            assertTrue(Float.isNaN(got[0][left * d + j]), what + ": the run left out of the plan was written");
        }
        assertTrue(got[1][left] == b0[left] && Float.isNaN(got[3][left]), what + ": the run left out was written");
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest}): three runs of 40 and 37 rows at two row widths,
     * momentum with a running loss at d = 2, and the strict geometries at d = 2.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: d = {0}")
    @CsvSource({"2", "17"})
    void strictDevice(int d) {
        StepRule chapter = StepRule.chapter(0.03f, 8);
        check(device.kernel(), runs(chapter, d, false, d), chapter, d);
        if (d == 2) {
            StepRule momentum = StepRules.all(0.01f, 8).filter(r -> r.hasVelocity() && r.runningLoss()).findFirst()
                    .orElseThrow();
            check(device.kernel(), runs(momentum, d, false, 3), momentum, d);
            LinregStepKernelTest.strictGeometries().forEach(t -> {
                try (Pair other = new Pair(device.context(), t)) {
                    check(other, runs(chapter, d, false, 11), chapter, d);
                }
            });
        }
    }
}
