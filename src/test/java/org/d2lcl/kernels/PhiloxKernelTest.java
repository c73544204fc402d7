package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.d2lcl.backend.Philox;
import org.d2lcl.backend.Reference;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.testing.Buffers;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.DeviceExtension;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.KernelTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code philox.cl} against {@code Reference.philoxUniform}, {@code philoxNormal}, {@code onlineBatch}
 * and {@code syntheticData}: bit for bit, nothing written past n (or n x d), for seeds that use both
 * key words and counts that are not multiples of 4 or of any work-group. The synthetic data's
 * reference is held to its stated counters, drawn one block at a time in order. The Java generator itself is checked on
 * its own: Random123's known-answer vectors of Philox4x32-10, its log, sqrt and cos against
 * {@code Math}'s over every input they can get (2^24 each) under a stated bound, the moments of 10^6
 * draws within 5 standard errors, and distinct streams for distinct seeds, streams and steps.
 */
@KernelTest
class PhiloxKernelTest {
    static final DeviceExtension<PhiloxKernel> device = new DeviceExtension<>(PhiloxKernel::new);

    /** Random123 1.14, {@code examples/kat_vectors}, the philox4x32 10-round lines: counter, key, result. */
    @ParameterizedTest(name = "Philox4x32-10 known answer: counter {0} {1} {2} {3}, key {4} {5}")
    @CsvSource({
        "00000000, 00000000, 00000000, 00000000, 00000000, 00000000, 6627e8d5, e169c58d, bc57ac4c, 9b00dbd8",
        "ffffffff, ffffffff, ffffffff, ffffffff, ffffffff, ffffffff, 408f276d, 41c83b0e, a20bc7c6, 6d5451fd",
        "243f6a88, 85a308d3, 13198a2e, 03707344, a4093822, 299f31d0, d16cfe09, 94fdcceb, 5001e420, 24126ea1"
    })
    void knownAnswers(String c0, String c1, String c2, String c3, String k0, String k1, String r0, String r1,
            String r2, String r3) {
        int[] got = Philox.block(new int[] {hex(c0), hex(c1), hex(c2), hex(c3)}, new int[] {hex(k0), hex(k1)});
        assertArrayEquals(new int[] {hex(r0), hex(r1), hex(r2), hex(r3)}, got,
                () -> "Philox4x32-10 block: got " + Arrays.stream(got).mapToObj(Integer::toHexString).toList());
    }

    private static int hex(String s) {
        return Integer.parseUnsignedInt(s, 16);
    }

    @ParameterizedTest(name = "n = {0}, seed {1}, stream {2}: uniform, normal and online batch bitwise equal to Reference")
    @CsvSource({
        "1, 0, 0", "3, 42, 1", "4, -1, 7", "5, 81985529216486895, 0", "1000, 42, 0", "1000, 4294967296, 0",
        "1000003, 20260101, 3"
    })
    void matchesReference(int n, long seed, int stream) {
        checkUniform(n, seed, stream, -2.5f, 7.25f);
        checkNormal(n, seed, stream, 1.5f, 0.75f);
        checkOnline(n, seed, stream, 2f, 1f, 3f, 0f, 20f);
    }

    private static void checkUniform(int n, long seed, int stream, float lo, float hi) {
        String what = String.format(Locale.ROOT, "philox_uniform, n = %d, seed %d, stream %d, [%s, %s]", n, seed,
                stream, lo, hi);
        float[] out = bitwiseAgainstReference(what, n, expected -> Reference.philoxUniform(expected, n, seed, stream,
                lo, hi), b -> device.kernel().philoxUniform(b, n, seed, stream, lo, hi));
        for (int i = 0; i < n; i++) {
            if (!(out[i] >= lo && out[i] <= hi)) {
                fail(what + ": [" + i + "] = " + out[i] + " is outside [lo, hi]");
            }
        }
    }

    private static void checkNormal(int n, long seed, int stream, float mean, float std) {
        String what = String.format(Locale.ROOT, "philox_normal, n = %d, seed %d, stream %d, mean %s, std %s", n, seed,
                stream, mean, std);
        bitwiseAgainstReference(what, n, expected -> Reference.philoxNormal(expected, n, seed, stream, mean, std),
                b -> device.kernel().philoxNormal(b, n, seed, stream, mean, std));
    }

    /**
     * The kernel's n values, written into a NaN-poisoned padded buffer, bit for bit against the
     * reference's, with nothing written past n; returns them.
     */
    private static float[] bitwiseAgainstReference(String what, int n, java.util.function.Consumer<float[]> reference,
            java.util.function.Consumer<Buffer> kernel) {
        float[] expected = new float[n];
        reference.accept(expected);
        float[] out;
        try (Buffer b = Buffers.poisoned(device.context(), n)) {
            kernel.accept(b);
            out = Buffers.read(b);
        }
        Compare.exactly(what, expected, out, n);
        return out;
    }

    private static void checkOnline(int n, long seed, int step, float w, float b, float noiseStd, float xLo,
            float xHi) {
        String what = String.format(Locale.ROOT, "online_batch, n = %d, seed %d, step %d", n, seed, step);
        float[] expectedX = new float[n];
        float[] expectedY = new float[n];
        Reference.onlineBatch(expectedX, expectedY, n, seed, step, w, b, noiseStd, xLo, xHi);
        float[] x;
        float[] y;
        Context context = device.context();
        try (Buffer xb = Buffers.poisoned(context, n); Buffer yb = Buffers.poisoned(context, n)) {
            device.kernel().onlineBatch(xb, yb, n, seed, step, w, b, noiseStd, xLo, xHi);
            x = Buffers.read(xb);
            y = Buffers.read(yb);
        }
        Compare.exactly(what + " (x)", expectedX, x, n);
        Compare.exactly(what + " (y)", expectedY, y, n);
    }

    @ParameterizedTest(name = "synthetic_data: n = {0}, d = {1}, seed {2}: bitwise equal to Reference")
    @CsvSource({
        "1, 1, 0", "3, 2, 42", "5, 17, -1", "1000, 2, 42", "257, 15, 81985529216486895", "4099, 64, 4294967296",
        "10007, 3, -9223372036854775807"
    })
    void syntheticDataMatchesReference(int n, int d, long seed) {
        float[] w = Inputs.gaussian(new java.util.Random(seed ^ d), d);
        float b = 4.2f;
        String what = String.format(Locale.ROOT, "synthetic_data, n = %d, d = %d, seed %d", n, d, seed);
        float[] expectedX = new float[n * d];
        float[] expectedY = new float[n];
        Reference.syntheticData(expectedX, expectedY, w, n, d, b, seed);
        float[] x;
        float[] y;
        Context context = device.context();
        try (Buffer xb = Buffers.poisoned(context, n * d); Buffer yb = Buffers.poisoned(context, n);
             Buffer wb = context.floats(d)) {
            wb.write(w);
            device.kernel().syntheticData(xb, yb, wb, n, d, b, seed);
            x = Buffers.read(xb);
            y = Buffers.read(yb);
        }
        Compare.exactly(what + " (x)", expectedX, x, n * d);
        Compare.exactly(what + " (y)", expectedY, y, n);
    }

    /**
     * The reference is its header's definition: feature (i, j) the normal of block (i*d + j, 0, 2, 0),
     * row i's noise that of (i, 1, 2, 0), both from {@link Philox#block(int[], int[])} (held to
     * Random123's answers above), and y summed in order with fma; over 3 tasks of rows, drawn in
     * parallel, so any dependence on threads or on the tasks' bounds shows.
     */
    @Test
    void syntheticDataReferenceIsItsCountersInOrder() {
        int n = 9000;
        int d = 3;
        long seed = 0xFEDCBA9876543210L;
        float[] w = {2f, -3.4f, 0.5f};
        float b = 4.2f;
        float[] x = new float[n * d];
        float[] y = new float[n];
        Reference.syntheticData(x, y, w, n, d, b, seed);
        int[] key = {(int) seed, (int) (seed >>> 32)};
        for (int i = 0; i < n; i++) {
            float acc = 0f;
            for (int j = 0; j < d; j++) {
                int[] r = Philox.block(new int[] {i * d + j, 0, 2, 0}, key);
                float xij = Philox.standardNormal(r[0], r[1]);
                assertEquals(Float.floatToRawIntBits(xij), Float.floatToRawIntBits(x[i * d + j]),
                        "x[" + i + ", " + j + "]: expected " + xij + ", got " + x[i * d + j]);
                acc = Math.fma(xij, w[j], acc);
            }
            int[] r = Philox.block(new int[] {i, 1, 2, 0}, key);
            float yi = Math.fma(0.01f, Philox.standardNormal(r[0], r[1]), acc + b);
            assertEquals(Float.floatToRawIntBits(yi), Float.floatToRawIntBits(y[i]),
                    "y[" + i + "]: expected " + yi + ", got " + y[i]);
        }
    }

    /**
     * The first values for seed 42, pinned (as bits): a change in the counters, the key, the
     * conversions or their order shows here even where kernel and reference change together.
     */
    @Test
    void pinnedValuesForSeed42() {
        float[] u = new float[4];
        float[] z = new float[4];
        float[] x = new float[2];
        float[] y = new float[2];
        Reference.philoxUniform(u, 4, 42, 0, 0f, 1f);
        Reference.philoxNormal(z, 4, 42, 0, 0f, 1f);
        Reference.onlineBatch(x, y, 2, 42, 0, 2f, 1f, 3f, 0f, 20f);
        assertEquals(PINNED, bits(u) + " " + bits(z) + " " + bits(x) + " " + bits(y));
    }

    private static final String PINNED = "3f1ceaf03f7cdb213f536c023f3ac704 bf0c807d3d3f075dbf1ae670bf42f9fd"
            + " 3e4e01304024fdd5 40c5a19840d173a1";

    private static String bits(float[] v) {
        StringBuilder s = new StringBuilder();
        for (float f : v) {
            s.append(String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(f)));
        }
        return s.toString();
    }

    /**
     * ln a for every a the normals take, ((w >>> 8) + 1) 2^-24: never positive (so -2 ln a is a
     * square root's argument), and within |err| <= 2^-25 + ulp(ln a) of Math.log: the fitted
     * polynomial's 2.5e-8 on ln(1 + f), the rounding of e ln 2 + ln(1 + f), and the rest of a float.
     */
    @Test
    void logIsAccurateForEveryInput() {
        List<String> bad = new ArrayList<>();
        for (int k = 1; k <= 1 << 24; k++) {
            float a = (float) k * 0x1p-24f;
            float got = Philox.log(a);
            double exact = Math.log(a);
            double bound = 0x1p-25 + Math.ulp((float) exact);
            if (!(got <= 0f) || Math.abs(got - exact) > bound) {
                if (bad.size() < 5) {
                    bad.add(String.format(Locale.ROOT, "a = %s: got %s, exact %s, bound %s", a, got, exact, bound));
                }
            }
        }
        assertTrue(bad.isEmpty(), () -> "Philox.log: " + bad);
    }

    /** sqrt(-2 ln a) for every a the normals take: within one ulp of the correctly rounded float. */
    @Test
    void sqrtIsWithinOneUlpForEveryInput() {
        List<String> bad = new ArrayList<>();
        for (int k = 1; k <= 1 << 24; k++) {
            float v = -2f * Philox.log((float) k * 0x1p-24f);
            float got = Philox.sqrt(v);
            float exact = (float) Math.sqrt(v);
            if (!(Math.abs(got - exact) <= Math.ulp(exact))) {
                if (bad.size() < 5) {
                    bad.add(String.format(Locale.ROOT, "v = %s: got %s, exact %s", v, got, exact));
                }
            }
        }
        assertTrue(bad.isEmpty(), () -> "Philox.sqrt: " + bad);
    }

    /**
     * cos(2 pi k / 2^24 - pi/4) for every 24-bit k, within 2^-23 of Math.cos: t rounded to float
     * moves the angle by at most ulp(pi/4) / 2 = 2^-25, the Taylor tails are below 2e-9, and each
     * polynomial rounds a few times at values below 1.
     */
    @Test
    void cosIsAccurateForEveryInput() {
        List<String> bad = new ArrayList<>();
        for (int k = 0; k < 1 << 24; k++) {
            float got = Philox.cosTurn(k);
            double exact = Math.cos(2 * Math.PI * k / (1 << 24) - Math.PI / 4);
            if (!(Math.abs(got - exact) <= 0x1p-23)) {
                if (bad.size() < 5) {
                    bad.add(String.format(Locale.ROOT, "k = %d: got %s, exact %s", k, got, exact));
                }
            }
        }
        assertTrue(bad.isEmpty(), () -> "Philox.cosTurn: " + bad);
    }

    /**
     * 10^6 draws on the device: uniforms in [0, 1) with mean 1/2 and variance 1/12, normals with mean
     * 0 and variance 1, each within 5 standard errors (mean: sigma / sqrt(n); variance:
     * sqrt((mu4 - sigma^4) / n), mu4 = 1/80 for the uniform, 3 for the normal).
     */
    @Test
    void momentsOfAMillionDrawsAreWithinFiveStandardErrors() {
        int n = 1_000_000;
        float[][] draws = twoDraws(n, (ub, zb) -> {
            device.kernel().philoxUniform(ub, n, 7, 0, 0f, 1f);
            device.kernel().philoxNormal(zb, n, 7, 0, 0f, 1f);
        });
        float[] u = draws[0];
        float[] z = draws[1];
        for (float v : u) {
            assertTrue(v >= 0f && v < 1f, () -> "uniform draw " + v + " outside [0, 1)");
        }
        moments("uniform", u, 0.5, 1.0 / 12, 1.0 / 80);
        moments("normal", z, 0, 1, 3);
    }

    /** Two buffers of {@code n} floats that {@code fill} writes on the device, read back. */
    private static float[][] twoDraws(int n, BiConsumer<Buffer, Buffer> fill) {
        Context context = device.context();
        try (Buffer a = context.floats(n); Buffer b = context.floats(n)) {
            fill.accept(a, b);
            return new float[][] {Buffers.read(a), Buffers.read(b)};
        }
    }

    private static void moments(String what, float[] v, double mean, double var, double mu4) {
        int n = v.length;
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        double m = sum / n;
        double ss = 0;
        for (float f : v) {
            ss += (f - m) * (f - m);
        }
        double s2 = ss / (n - 1);
        double seMean = Math.sqrt(var / n);
        double seVar = Math.sqrt((mu4 - var * var) / n);
        assertTrue(Math.abs(m - mean) <= 5 * seMean, () -> String.format(Locale.ROOT,
                "%s: mean %s, expected %s within 5 x %s", what, m, mean, seMean));
        assertTrue(Math.abs(s2 - var) <= 5 * seVar, () -> String.format(Locale.ROOT,
                "%s: variance %s, expected %s within 5 x %s", what, s2, var, seVar));
    }

    /**
     * The online batches' noise, y - (w x + b) / noiseStd over 10^6 rows, has mean 0 and variance 1
     * within 5 standard errors, and x has the moments of U(0, 20).
     */
    @Test
    void onlineBatchNoiseIsStandardNormal() {
        int n = 1_000_000;
        float[][] batch = twoDraws(n, (xb, yb) -> device.kernel().onlineBatch(xb, yb, n, 11, 5, 2f, 1f, 3f, 0f, 20f));
        float[] x = batch[0];
        float[] y = batch[1];
        float[] noise = new float[n];
        float[] unit = new float[n];
        for (int i = 0; i < n; i++) {
            noise[i] = (float) ((y[i] - (2.0 * x[i] + 1.0)) / 3.0);
            unit[i] = x[i] / 20f;
        }
        moments("online noise", noise, 0, 1, 3);
        moments("online x / 20", unit, 0.5, 1.0 / 12, 1.0 / 80);
    }

    /**
     * Distinct seeds (low word, high word, both, the extremes), distinct streams, and online steps give
     * distinct streams: no two of them share their first 8 uniforms (24 bits each).
     */
    @Test
    void distinctSeedsStreamsAndStepsGiveDistinctStreams() {
        Map<String, String> seen = new HashMap<>();
        List<Long> seeds = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0xFFFFFFFFL, 1L << 32));
        for (long s = 0; s < 256; s++) {
            seeds.add(s);
            seeds.add(s << 32);
            seeds.add(s * 0x9E3779B97F4A7C15L);
        }
        for (long seed : seeds.stream().distinct().toList()) {
            for (int stream = 0; stream < 4; stream++) {
                float[] u = new float[8];
                Reference.philoxUniform(u, 8, seed, stream, 0f, 1f);
                record(seen, Arrays.toString(u), "seed " + seed + " stream " + stream);
                float[] x = new float[8];
                float[] y = new float[8];
                Reference.onlineBatch(x, y, 8, seed, stream, 1f, 0f, 0f, 0f, 1f);
                record(seen, Arrays.toString(x), "seed " + seed + " online step " + stream);
            }
        }
    }

    private static void record(Map<String, String> seen, String key, String who) {
        String before = seen.put(key, who);
        if (before != null) {
            fail(who + " draws the same first 8 uniforms as " + before + ": " + key);
        }
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest} runs the tests tagged {@code strict} on Oclgrind
     * under several devices' limits): the other three kernels at small, ragged n.
     */
    @Tag("strict")
    @ParameterizedTest(name = "strict: n = {0}, seed {1}, stream {2}: bitwise")
    @CsvSource({"1, 0, 0", "5, -1, 3", "67, 81985529216486895, 1"})
    void strictDevice(int n, long seed, int stream) {
        matchesReference(n, seed, stream);
    }

    /** The strict tier for {@code synthetic_data}: small, ragged n and d, seeds with high bits set. */
    @Tag("strict")
    @ParameterizedTest(name = "strict: synthetic_data, n = {0}, d = {1}, seed {2}: bitwise")
    @CsvSource({"1, 1, 0", "5, 3, -1", "67, 17, 81985529216486895"})
    void strictDeviceSyntheticData(int n, int d, long seed) {
        syntheticDataMatchesReference(n, d, seed);
    }
}
