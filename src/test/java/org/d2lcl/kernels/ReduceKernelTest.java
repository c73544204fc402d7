package org.d2lcl.kernels;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code reduce.cl} against the float64 oracle: {@code |sum - exact| <= gamma(depth(n))·Σ|x|},
 * where {@code depth(n)} is the most additions any element passes through
 * ({@link ReduceKernel#depth}). A repeated launch gives the same bits; the Java reference is held
 * to the same bound.
 */
@KernelTest
class ReduceKernelTest {
    static final DeviceExtension<ReduceKernel> device = new DeviceExtension<>(ReduceKernel::new);

    @ParameterizedTest(name = "n = {0}, {1} terms: |err| <= gamma(depth(n))·Σ|x|")
    @CsvSource({
        "0, signed", "1, signed", "2, signed", "63, signed", "255, signed", "256, signed", "257, signed",
        "4095, signed", "4096, positive", "4097, signed", "65537, positive", "1000003, signed",
        "1000003, positive", "4194305, positive", "1048576, signed", "33554432, signed"
    })
    void matchesOracle(int n, String terms) {
        Random rng = new Random(n);
        float[] x = terms.equals("positive") ? squares(rng, n) : Inputs.wide(rng, n);
        check(device.kernel(), x, terms + " terms");
    }

    /** The geometries other devices get, on this one: a GPU's grid-stride of float4s, and odd sizes. */
    static Stream<Arguments> geometries() {
        List<Tuning.Reduce> tunings = List.of(new Tuning.Reduce(256, 1024, 4, false),
                new Tuning.Reduce(16, 3, 8, true), new Tuning.Reduce(32, 5, 16, false));
        return tunings.stream().flatMap(t -> IntStream.of(1, 255, 4097, 1000003).mapToObj(n -> Arguments.of(t, n)));
    }

    @ParameterizedTest(name = "{0}, n = {1}: |err| <= gamma(depth(n))·Σ|x|")
    @MethodSource("geometries")
    void everyGeometryMatchesOracle(Tuning.Reduce tuning, int n) {
        Context context = device.context();
        try (ReduceKernel other = new ReduceKernel(context, tuning)) {
            check(other, Inputs.wide(new Random(n), n), "signed terms, " + tuning);
        }
    }

    /** Random lengths, shrunk to the smallest failing case by jqwik. */
    @Group
    class RandomLengths {
        @Label("random n: |err| <= gamma(depth(n))·Σ|x|")
        @Property(tries = 20)
        void randomLengthsMatchOracle(@ForAll @IntRange(min = 0, max = 200_000) int n, @ForAll long seed) {
            check(device.kernel(), Inputs.gaussian(new Random(seed), n), "Gaussian terms, seed " + seed);
        }
    }

    /** Non-negative terms like the squared losses the trainer sums. */
    private static float[] squares(Random rng, int n) {
        float[] x = Inputs.gaussian(rng, n);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] * x[i] / 2f;
        }
        return x;
    }

    private static void check(ReduceKernel kernel, float[] x, String terms) {
        Context context = device.context();
        int n = x.length;
        double[] sumAbs = new double[1];
        double[] exact = {Oracle.sum(x, n, sumAbs)};
        long depth = kernel.depth(n);
        double[] bound = {Oracle.gamma(depth) * sumAbs[0]};
        String what = "n = " + n + ", " + terms + ", bound gamma(depth = " + depth + ")·Σ|x| = " + bound[0];

        float[] first;
        float[] again;
        try (Buffer out = Buffers.poisoned(context, 1);
             Buffer xb = Buffers.of(context, n == 0 ? new float[1] : x)) {
            kernel.sum(out, xb, n);
            first = Buffers.read(out);
            Compare.untouchedAfter("reduce.cl, " + what, first, 1);
            out.write(Inputs.nan(1 + Inputs.PAD));
            kernel.sum(out, xb, n);
            again = Buffers.read(out);
        }
        Compare.within("reduce.cl, " + what, exact, first, bound, 1);
        Compare.bitwise("reduce.cl launched twice on the same input, " + what, first, again, 1);
        Compare.within("Reference.sum, " + what, exact, new float[] {Reference.sum(x, n)}, bound, 1);
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): small shapes through every launch this kernel makes.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}: the device's geometry and the studied ones, in bound")
    @ValueSource(ints = {0, 1, 257, 4097})
    void strictDevice(int n) {
        matchesOracle(n, "signed");
        List<Tuning.Reduce> tunings = List.of(new Tuning.Reduce(256, 4, 4, false), new Tuning.Reduce(16, 3, 8, true),
                new Tuning.Reduce(32, 5, 16, false));
        for (Tuning.Reduce t : tunings) {
            everyGeometryMatchesOracle(t, n);
        }
    }
}
