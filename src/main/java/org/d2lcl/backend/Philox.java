package org.d2lcl.backend;

/**
 * Philox4x32-10 (Salmon et al., SC 2011) and the fixed conversions of {@code kernels/philox.cl}, in
 * Java: the same integer and float operations in the same order, so {@link Reference#philoxUniform},
 * {@link Reference#philoxNormal}, {@link Reference#onlineBatch} and {@link Reference#syntheticData} give
 * the kernels' bits. Only
 * {@code +}, {@code -}, {@code *} and {@link Math#fma(float, float, float)} touch floats: no
 * {@code Math.log}, {@code sqrt} or {@code cos}, whose OpenCL counterparts are not correctly rounded.
 * The kernel file's header states the math and the order of every operation.
 */
public final class Philox {
    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;

    private static final float LN2_HI = 0x1.62e430p-1f;
    private static final float LN2_LO = -0x1.05c610p-29f;
    private static final int SQRT2_BITS = 0x3FB504F3;
    private static final float TWO_PI_2M24 = 0x1.921fb6p-22f;

    private Philox() {
    }

    /**
     * The Philox4x32-10 block: ten rounds on the counter {@code c} (four words) under the key
     * {@code k} (two words), the key bumped by the Weyl constants before each round but the first.
     */
    public static int[] block(int[] c, int[] k) {
        int[] out = new int[4];
        block(out, c[0], c[1], c[2], c[3], k[0], k[1]);
        return out;
    }

    /** {@link #block(int[], int[])} into {@code out} (four words): no array made, for loops over many blocks. */
    static void block(int[] out, int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = Integer.toUnsignedLong(M0) * Integer.toUnsignedLong(c0);
            long p1 = Integer.toUnsignedLong(M1) * Integer.toUnsignedLong(c2);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** The block of element {@code i} of a uniform or normal stream: counter (i, stream, 0, 0). */
    static int[] streamBlock(long seed, int stream, int i) {
        return block(new int[] {i, stream, 0, 0}, key(seed));
    }

    /** The block of element {@code i} of online batch {@code step}: counter (i, step, 1, 0). */
    static int[] onlineBlock(long seed, int step, int i) {
        return block(new int[] {i, step, 1, 0}, key(seed));
    }

    /**
     * The standard normal of the synthetic data's counter (c0, c1, 2, 0) under {@code seed}: feature
     * {@code i*d + j} is c1 = 0, row {@code i}'s label noise c1 = 1 ({@code philox.cl}'s
     * {@code synthetic_data}); {@code scratch} holds the block (four words).
     */
    static float syntheticNormal(long seed, int c0, int c1, int[] scratch) {
        block(scratch, c0, c1, 2, 0, (int) seed, (int) (seed >>> 32));
        return standardNormal(scratch[0], scratch[1]);
    }

    /** The key of a 64-bit seed: its low word, then its high word. */
    static int[] key(long seed) {
        return new int[] {(int) seed, (int) (seed >>> 32)};
    }

    /** {@code (w >>> 8) * 2^-24}: a float in [0, 1), exact. */
    public static float uniform01(int w) {
        return (float) (w >>> 8) * 0x1p-24f;
    }

    /** {@code fma(uniform01(w), hi - lo, lo)}: in [lo, hi], hi only by rounding. */
    public static float uniform(int w, float lo, float hi) {
        return Math.fma(uniform01(w), hi - lo, lo);
    }

    /**
     * ln a for a normal float a in (0, 1]: a = m 2^e, m in [sqrt(1/2), sqrt(2)), and
     * ln(1 + f) = fma(f², q(f), f) for f = m - 1 with a fitted degree-8 q.
     */
    public static float log(float a) {
        int bits = Float.floatToRawIntBits(a);
        int e = (bits >>> 23) - 127;
        int mbits = (bits & 0x007FFFFF) | 0x3F800000;
        if (mbits > SQRT2_BITS) {
            mbits -= 0x00800000;
            e += 1;
        }
        float f = Float.intBitsToFloat(mbits) - 1.0f;
        float q = -0x1.4237fcp-4f;
        q = Math.fma(q, f, 0x1.0696e4p-3f);
        q = Math.fma(q, f, -0x1.0c524cp-3f);
        q = Math.fma(q, f, 0x1.22973ap-3f);
        q = Math.fma(q, f, -0x1.548882p-3f);
        q = Math.fma(q, f, 0x1.99a3ecp-3f);
        q = Math.fma(q, f, -0x1.000206p-2f);
        q = Math.fma(q, f, 0x1.55554ep-2f);
        q = Math.fma(q, f, -0x1.fffffep-2f);
        float l1p = Math.fma(f * f, q, f);
        float fe = (float) e;
        return Math.fma(fe, LN2_HI, Math.fma(fe, LN2_LO, l1p));
    }

    /** sqrt v for v = 0 or v >= 2^-24: an inverse square root from the bits, three Newton steps, one correction. */
    public static float sqrt(float v) {
        if (v == 0.0f) {
            return 0.0f;
        }
        float h = 0.5f * v;
        float y = Float.intBitsToFloat(0x5F375A86 - (Float.floatToRawIntBits(v) >>> 1));
        for (int it = 0; it < 3; it++) {
            y = y * Math.fma(-(h * y), y, 1.5f);
        }
        float s = v * y;
        return Math.fma(Math.fma(-s, s, v), 0.5f * y, s);
    }

    /** cos(2 pi k / 2^24 - pi/4) for a 24-bit k: quadrant k >> 22, Taylor polynomials on [-pi/4, pi/4). */
    public static float cosTurn(int k) {
        int q = k >>> 22;
        float t = (float) ((k & 0x3FFFFF) - 0x200000) * TWO_PI_2M24;
        float t2 = t * t;
        float s = 0x1.71de3ap-19f;
        s = Math.fma(s, t2, -0x1.a01a02p-13f);
        s = Math.fma(s, t2, 0x1.111112p-7f);
        s = Math.fma(s, t2, -0x1.555556p-3f);
        float sinT = Math.fma(t * t2, s, t);
        float c = -0x1.27e4fcp-22f;
        c = Math.fma(c, t2, 0x1.a01a02p-16f);
        c = Math.fma(c, t2, -0x1.6c16c2p-10f);
        c = Math.fma(c, t2, 0x1.555556p-5f);
        float cosT = Math.fma(t2 * t2, c, Math.fma(-0.5f, t2, 1.0f));
        return q == 0 ? cosT : q == 1 ? -sinT : q == 2 ? -cosT : sinT;
    }

    /** Box-Muller on two words: {@code sqrt(-2 ln a) * cos(theta)}, a = ((w0 >>> 8) + 1) 2^-24, theta from w1 >>> 8. */
    public static float standardNormal(int w0, int w1) {
        float a = (float) ((w0 >>> 8) + 1) * 0x1p-24f;
        float r = sqrt(-2.0f * log(a));
        return r * cosTurn(w1 >>> 8);
    }
}
