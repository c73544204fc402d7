package org.d2lcl.kernels;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.d2lcl.Rng;
import org.d2lcl.StepRule;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.d2lcl.testing.LinregOracle;
import org.d2lcl.testing.StepRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code linreg_step.cl} bit for bit against {@code Reference.linregStep}, and both against the
 * float64 step of {@link LinregOracle} under its carried bound: row widths around the 16 lanes,
 * batches shorter and longer than a chunk, a last batch smaller than the batch size, and the
 * {@code StepBench} shapes.
 */
@KernelTest
class LinregStepKernelTest {
    static final DeviceExtension<LinregStepKernel> device = new DeviceExtension<>(LinregStepKernel::new);

    @ParameterizedTest(name = "n = {0}, d = {1}, rows [{2}, {2} + {3}), batch size {4}: bitwise, within the oracle's bound")
    @CsvSource({
        "1, 1, 0, 1, 1", "1000, 2, 0, 10, 10", "1000, 2, 990, 10, 10", "1005, 2, 1000, 5, 10", "50, 15, 7, 30, 30",
        "50, 16, 0, 50, 50", "50, 17, 3, 40, 64", "300, 33, 0, 300, 300", "700, 64, 100, 256, 256",
        "100, 256, 0, 100, 100", "60, 300, 0, 60, 60", "9000, 3, 500, 8193, 8193", "9000, 3, 0, 4097, 5000", "12288, 16, 0, 12288, 12288",
        "65536, 256, 0, 65536, 65536", "4194304, 2, 0, 4194304, 4194304"
    })
    void matchesReferenceAndOracle(int n, int d, int start, int count, int batchSize) {
        check(device.kernel(), n, d, start, count, batchSize);
    }

    /**
     * The geometries every kind of device may get, run on this one: a GPU's 64 work-items with no
     * prefetch, a CPU's one item with and without rows prefetched ahead, and an odd size. The bits
     * are part of the kernel's definition, so none of these may change them.
     */
    static Stream<Tuning.Linreg> geometries() {
        return Stream.of(new Tuning.Linreg(64, 64, 0), new Tuning.Linreg(1, 64, 64), new Tuning.Linreg(1, 64, 0),
                new Tuning.Linreg(4, 16, 5));
    }

    static Stream<Arguments> geometriesAndSteps() {
        int[][] shapes = {{1000, 2, 990, 10, 10}, {50, 17, 3, 40, 64}, {700, 64, 100, 256, 256},
            {9000, 3, 500, 8193, 8193}};
        return geometries().flatMap(t -> Stream.of(shapes).map(s -> Arguments.of(t, s[0], s[1], s[2], s[3], s[4])));
    }

    @ParameterizedTest(name = "{0}: n = {1}, d = {2}, rows [{3}, {3} + {4}), batch size {5}: bitwise, in bound")
    @MethodSource("geometriesAndSteps")
    void everyGeometryMatchesReferenceAndOracle(Tuning.Linreg tuning, int n, int d, int start, int count,
            int batchSize) {
        Context context = device.context();
        try (LinregStepKernel other = new LinregStepKernel(context, tuning)) {
            check(other, n, d, start, count, batchSize);
        }
    }

    private static void check(LinregStepKernel kernel, int n, int d, int start, int count, int batchSize) {
        Context context = device.context();
        Random rng = new Random(31L * n + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        float[] w = Inputs.gaussian(rng, d);
        float[] b = {(float) rng.nextGaussian()};
        int[] idx = Rng.permutation(new int[n], rng);
        float lr = 0.03f;

        float[] wOut = w.clone();
        float[] bOut = b.clone();
        try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer xb = context.floats((long) n * d);
             Buffer yb = context.floats(n); Buffer ib = context.ints(n)) {
            wb.write(w);
            bb.write(b);
            xb.write(x);
            yb.write(y);
            ib.write(idx);
            kernel.step(wb, bb, xb, yb, ib, start, count, lr, batchSize, d);
            wb.read(wOut);
            bb.read(bOut);
        }
        float[] wRef = w.clone();
        float[] bRef = b.clone();
        Reference.linregStep(wRef, bRef, x, y, idx, start, count, lr, batchSize, d);
        String what = "linreg_step.cl " + kernel.geometry(d) + " n = " + n + ", d = " + d + ", rows [" + start + ", "
                + (start + count) + ")";
        Compare.bitwise(what + ": w", wRef, wOut, d);
        Compare.bitwise(what + ": b", bRef, bOut, 1);

        double[] bound = new double[d + 1];
        double[] exact = LinregOracle.step(bound, w, b[0], x, y, idx, start, count, lr, batchSize, d);
        float[] params = Arrays.copyOf(wOut, d + 1);
        params[d] = bOut[0];
        Compare.within(what + ": w and b against the float64 step", exact, params, bound, d + 1);
    }

    /**
     * The rules at two row widths, one vector of 16 lanes and more (each rule and width is a program of
     * its own; the widths' own code paths are the chapter's rule's, above): batches of 10, a last
     * batch of 5, one of 40 rows over 64, and one over a run (two launches).
     */
    static Stream<Arguments> rulesAndSteps() {
        int[][] shapes = {{1000, 2, 990, 10, 10}, {1005, 2, 1000, 5, 10}, {50, 17, 3, 40, 64},
            {9000, 2, 500, 8193, 8193}};
        return Stream.of(shapes).flatMap(s -> StepRules.all(0.03f, s[4]).map(r -> Arguments.of(r, s[0], s[1], s[2], s[3])));
    }

    /**
     * Each rule over two steps (the run's first, on which momentum's velocity is the gradient and its
     * old contents, NaN here, are not read; then one that reads it): w, b and v bit for bit against
     * {@code Reference.linregStep}, on the shapes of one launch and of two (a batch over a run).
     */
    @ParameterizedTest(name = "{0}: n = {1}, d = {2}, rows [{3}, {3} + {4}): w, b, v bitwise over two steps")
    @MethodSource("rulesAndSteps")
    void everyRuleMatchesReference(StepRule rule, int n, int d, int start, int count) {
        checkRule(device.kernel(), rule, n, d, start, count);
    }

    private static void checkRule(LinregStepKernel kernel, StepRule rule, int n, int d, int start, int count) {
        Context context = device.context();
        Random rng = new Random(37L * n + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] y = Inputs.gaussian(rng, n);
        float[][] ref = {Inputs.gaussian(rng, d), {(float) rng.nextGaussian()}, Inputs.nan(d + 1), {0f}};
        int[] idx = Rng.permutation(new int[n], rng);
        float[][] got = {new float[d], new float[1], new float[d + 1], new float[1]};
        try (Buffer wb = context.floats(d); Buffer bb = context.floats(1); Buffer vb = context.floats(d + 1);
             Buffer rb = context.floats(1); Buffer xb = context.floats((long) n * d); Buffer yb = context.floats(n);
             Buffer ib = context.ints(n)) {
            Buffer[] state = {wb, bb, vb, rb};
            for (int k = 0; k < state.length; k++) {
                state[k].write(ref[k]);
            }
            xb.write(x);
            yb.write(y);
            ib.write(idx);
            for (boolean first : new boolean[] {true, false}) {
                kernel.step(wb, bb, vb, rb, xb, yb, ib, start, count, rule, first, d);
                Reference.linregStep(ref[0], ref[1], ref[2], ref[3], x, y, idx, start, count, rule, first, d);
            }
            for (int k = 0; k < state.length; k++) {
                state[k].read(got[k]);
            }
        }
        String what = "linreg_step.cl " + rule.buildOptions() + " " + kernel.geometry(d) + " n = " + n + ", d = " + d
                + ", rows [" + start + ", " + (start + count) + ")";
        Compare.bitwise(what + ": w", ref[0], got[0], d);
        Compare.bitwise(what + ": b", ref[1], got[1], 1);
        if (rule.hasVelocity()) {
            Compare.bitwise(what + ": v", ref[2], got[2], d + 1);
        }
        if (rule.runningLoss()) {
            StepRules.runningLossWithin(what, ref[3][0], got[3][0], 2, count, kernel.geometry(d).local());
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes, and the
     * step rules.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, d = {1}, rows [{2}, {2} + {3}), batch size {4}: every geometry")
    @CsvSource({"1, 1, 0, 1, 1", "40, 2, 30, 10, 10", "50, 17, 3, 40, 64", "30, 33, 0, 30, 30", "4100, 3, 0, 4099, 4099"})
    void strictDevice(int n, int d, int start, int count, int batchSize) {
        check(device.kernel(), n, d, start, count, batchSize);
        // Every rule on one small batch; the two-launch path with the rule that uses the most of it.
        StepRules.all(0.03f, batchSize)
                .filter(r -> count == 10 || count > LinregStepKernel.RUN && r.hasVelocity() && r.optimizer().clips())
                .forEach(r -> checkRule(device.kernel(), r, n, d, start, count));
        strictGeometries().forEach(t -> everyGeometryMatchesReferenceAndOracle(t, n, d, start, count, batchSize));
    }

    /**
     * The geometries of {@link #geometries()} that the strict device compiles: rows prefetched ahead
     * ({@code AHEAD > 0}, {@code __builtin_prefetch}) are asked for on CPUs only, and Oclgrind 21.10
     * cannot run the intrinsic; the PoCL tier runs them.
     */
    static Stream<Tuning.Linreg> strictGeometries() {
        return geometries().filter(t -> t.ahead() == 0);
    }
}
