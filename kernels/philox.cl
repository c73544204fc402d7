// philox.cl — random numbers drawn on the device from Philox4x32-10 (Salmon, Moraes, Dror and Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC 2011), a counter-based generator: the numbers
// of element i are a pure function of (seed, counter), so every work-item draws its own, in any
// order, and Reference.philoxUniform / philoxNormal / onlineBatch / syntheticData give the same
// bits on the host.
//
// The block function philox4x32_10(ctr, key): ten rounds on four 32-bit words, the key bumped by
// the Weyl constants (0x9E3779B9, 0xBB67AE85) before each round but the first; a round is
//   (hi0, lo0) = 0xD2511F53 * c0,  (hi1, lo1) = 0xCD9E8D57 * c2     (64-bit products, split)
//   (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
// The key is the 64-bit seed: k0 = seed_lo, k1 = seed_hi. The counters:
//   philox_uniform, philox_normal:  (i, stream, 0, 0)
//   online_batch:                   (i, step, 1, 0)    (its own streams: c2 = 1)
//   synthetic_data, x[i*d + j]:     (i*d + j, 0, 2, 0) (c2 = 2: its own streams; i*d + j < 2^31,
//   synthetic_data, noise of row i: (i, 1, 2, 0)        as D2l.syntheticData checks n*d)
// Element i uses words of its own block only (uniform: word 0; normal: words 0, 1; online batch:
// words 0, 1, 2): one block per element, so any n and any work-group size give the same numbers.
//
// The conversions, every float operation fixed (no builtin log, sqrt, sin or cos: OpenCL 1.2 holds
// those to ULP bounds, not to one answer). Only integer operations, +, -, * and fma are used, all
// correctly rounded in OpenCL's full profile as in Java; contraction is off and every multiply-add
// is an explicit fma(). No intermediate is subnormal, so a device that flushes subnormals to zero
// (CL_FP_DENORM is optional in OpenCL 1.2) gives the same bits.
//   uniform01(w)  = (float)(w >> 8) * 2^-24                     exact, in [0, 1)
//   uniform(w, lo, hi) = fma(uniform01(w), hi - lo, lo)         in [lo, hi] (hi only by rounding)
//   normal(w0, w1): Box-Muller, z = sqrt(-2 ln a) * cos(theta)
//     a = (float)((w0 >> 8) + 1) * 2^-24                        exact, in (0, 1]
//     ln a: a = m * 2^e with m in [sqrt(1/2), sqrt(2)) (from the bits: exact), f = m - 1 (exact),
//       ln(1 + f) = fma(f * f, q(f), f), q a degree-8 polynomial fitted to (ln(1 + f) - f) / f^2
//       on that range (Chebyshev fit, coefficients rounded to float), in Horner form with fma (below
//       2.5e-8 off ln(1 + f)); ln a = fma(e, LN2_HI, fma(e, LN2_LO, ln(1 + f))), LN2_HI + LN2_LO = ln 2.
//     v = -2 * ln a (exact); r = sqrt(v): 0 where v = 0, else y = rsqrt(v) from the bits
//       (0x5F375A86 - (bits(v) >> 1)) and three Newton steps y = y * fma(-(h * y), y, 1.5f),
//       h = 0.5f * v; then s = v * y and s = fma(fma(-s, s, v), 0.5f * y, s).
//     theta: k = w1 >> 8 (24 bits), quadrant q = k >> 22, t = (float)((k & 0x3FFFFF) - 2^21) * C,
//       C = 2 pi / 2^24 in float, so |t| <= pi/4 and theta = q pi/2 + t is uniform on a full turn;
//       t2 = t * t; sin t = fma(t * t2, S(t2), t), cos t = fma(t2 * t2, K(t2), fma(-0.5f, t2, 1)),
//       S and K the Taylor polynomials to t^9 and t^10 (Horner with fma); cos theta is cos t,
//       -sin t, -cos t, sin t for q = 0, 1, 2, 3.
//     z = r * cos theta
//   philox_normal:  out[i] = fma(z, std, mean)
//   online_batch:   x[i] = uniform(w0, x_lo, x_hi),  z = normal(w1, w2),
//                   y[i] = fma(noise_std, z, fma(w, x[i], b))      (d2l's y = w x + b + noise)
//   synthetic_data (d2l's synthetic_data(w, b, n): X ~ N(0, 1), y = X w + b + N(0, 0.01^2)):
//                   x[i*d + j] = normal(words 0, 1 of its block),  z_i = normal(words 0, 1 of row i's),
//                   acc = 0; for j = 0 .. d-1: acc = fma(x[i*d + j], w[j], acc);
//                   y[i] = fma(0.01f, z_i, acc + b)
//                 (y's products and sums are subnormal only for weights near the smallest floats;
//                 a device without CL_FP_DENORM may flush those to zero, and only those)
//
// Shapes: out, x, y: n floats; synthetic_data: x n x d (row-major), w d, y n. Geometry: one work-item
// per element (synthetic_labels: per row, which reads its d features and writes its label), global =
// roundUp(count, WG), any local size; the ragged end is guarded (if (i >= n) return;). No local
// memory, no barriers; the labels' launch follows the features' on one in-order queue.

#pragma OPENCL FP_CONTRACT OFF

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

#define LN2_HI 0x1.62e430p-1f
#define LN2_LO -0x1.05c610p-29f
#define SQRT2_BITS 0x3FB504F3u
#define TWO_PI_2M24 0x1.921fb6p-22f

// Scalar words and the key bumped after each round (the same sequence as before each round but the
// first): PoCL compiles this form about three times faster than rounds on a uint4.
uint4 philox4x32_10(const uint4 c, const uint2 k)
{
    uint c0 = c.x, c1 = c.y, c2 = c.z, c3 = c.w, k0 = k.x, k1 = k.y;
#pragma unroll
    for (int r = 0; r < 10; r++) {
        const ulong p0 = (ulong)PHILOX_M0 * c0;
        const ulong p1 = (ulong)PHILOX_M1 * c2;
        const uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
        const uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
        c1 = (uint)p1;
        c3 = (uint)p0;
        c0 = n0;
        c2 = n2;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return (uint4)(c0, c1, c2, c3);
}

// The normal's polynomials and Newton steps, for a float or a float16 T (the same operations lane
// by lane): ln(1 + f) = fma(f * f, q, f) with q the degree-8 fit in Horner form; three Newton steps
// of rsqrt with h = v / 2; the Taylor polynomials of sin t = fma(t t2, s, t) and of
// cos t = fma(t2 t2, c, fma(-1/2, t2, 1)).
#define LOG1P_Q(T, f, q) \
    q = (T)(-0x1.4237fcp-4f); \
    q = fma(q, f, (T)(0x1.0696e4p-3f)); \
    q = fma(q, f, (T)(-0x1.0c524cp-3f)); \
    q = fma(q, f, (T)(0x1.22973ap-3f)); \
    q = fma(q, f, (T)(-0x1.548882p-3f)); \
    q = fma(q, f, (T)(0x1.99a3ecp-3f)); \
    q = fma(q, f, (T)(-0x1.000206p-2f)); \
    q = fma(q, f, (T)(0x1.55554ep-2f)); \
    q = fma(q, f, (T)(-0x1.fffffep-2f))
#define RSQRT_NEWTON3(T, h, y) \
    for (int it = 0; it < 3; it++) { \
        y = y * fma(-(h * y), y, (T)(1.5f)); \
    }
#define SIN_COS_TAYLOR(T, t, t2, s, c) \
    s = (T)(0x1.71de3ap-19f); \
    s = fma(s, t2, (T)(-0x1.a01a02p-13f)); \
    s = fma(s, t2, (T)(0x1.111112p-7f)); \
    s = fma(s, t2, (T)(-0x1.555556p-3f)); \
    c = (T)(-0x1.27e4fcp-22f); \
    c = fma(c, t2, (T)(0x1.a01a02p-16f)); \
    c = fma(c, t2, (T)(-0x1.6c16c2p-10f)); \
    c = fma(c, t2, (T)(0x1.555556p-5f))

float uniform01(const uint w)
{
    return (float)(w >> 8) * 0x1p-24f;
}

float uniform_between(const uint w, const float lo, const float hi)
{
    return fma(uniform01(w), hi - lo, lo);
}

// ln a for a in (0, 1], a normal float.
float philox_log(const float a)
{
    uint bits = as_uint(a);
    int e = (int)(bits >> 23) - 127;
    uint mbits = (bits & 0x007FFFFFu) | 0x3F800000u;
    if (mbits > SQRT2_BITS) {
        mbits -= 0x00800000u;
        e += 1;
    }
    const float f = as_float(mbits) - 1.0f;
    float q;
    LOG1P_Q(float, f, q);
    const float l1p = fma(f * f, q, f);
    const float fe = (float)e;
    return fma(fe, LN2_HI, fma(fe, LN2_LO, l1p));
}

// sqrt v for v = 0 or v >= 2^-24.
float philox_sqrt(const float v)
{
    if (v == 0.0f) return 0.0f;
    const float h = 0.5f * v;
    float y = as_float(0x5F375A86u - (as_uint(v) >> 1));
    RSQRT_NEWTON3(float, h, y);
    const float s = v * y;
    return fma(fma(-s, s, v), 0.5f * y, s);
}

// cos theta, theta = 2 pi k / 2^24 - pi/4 for the 24-bit k (a full turn, shifted).
float philox_cos_turn(const uint k)
{
    const uint q = k >> 22;
    const float t = (float)((int)(k & 0x3FFFFFu) - 0x200000) * TWO_PI_2M24;
    const float t2 = t * t;
    float s, c;
    SIN_COS_TAYLOR(float, t, t2, s, c);
    const float sin_t = fma(t * t2, s, t);
    const float cos_t = fma(t2 * t2, c, fma(-0.5f, t2, 1.0f));
    return q == 0 ? cos_t : q == 1 ? -sin_t : q == 2 ? -cos_t : sin_t;
}

float philox_standard_normal(const uint w0, const uint w1)
{
    const float a = (float)((w0 >> 8) + 1) * 0x1p-24f;
    const float r = philox_sqrt(-2.0f * philox_log(a));
    return r * philox_cos_turn(w1 >> 8);
}

__kernel void philox_uniform(__global float* restrict out, const int n, const uint seed_lo, const uint seed_hi,
                             const uint stream, const float lo, const float hi)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const uint4 r = philox4x32_10((uint4)((uint)i, stream, 0u, 0u), (uint2)(seed_lo, seed_hi));
    out[i] = uniform_between(r.x, lo, hi);
}

__kernel void philox_normal(__global float* restrict out, const int n, const uint seed_lo, const uint seed_hi,
                            const uint stream, const float mean, const float std)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const uint4 r = philox4x32_10((uint4)((uint)i, stream, 0u, 0u), (uint2)(seed_lo, seed_hi));
    out[i] = fma(philox_standard_normal(r.x, r.y), std, mean);
}

__kernel void online_batch(__global float* restrict x, __global float* restrict y, const int n, const uint seed_lo,
                           const uint seed_hi, const uint step, const float w, const float b, const float noise_std,
                           const float x_lo, const float x_hi)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const uint4 r = philox4x32_10((uint4)((uint)i, step, 1u, 0u), (uint2)(seed_lo, seed_hi));
    const float xi = uniform_between(r.x, x_lo, x_hi);
    x[i] = xi;
    y[i] = fma(noise_std, philox_standard_normal(r.y, r.z), fma(w, xi, b));
}

// The block function and the normal on 16 counters at once, lane by lane the operations of
// philox4x32_10 and philox_standard_normal (integer products split by mul_hi; every branch a
// select): the same bits, in vector instructions on a CPU device, which does not vectorise the
// scalar form across work-items.
void philox4x32_10_x16(uint16* w0, uint16* w1, const uint16 ctr0, const uint c1, const uint c2, const uint c3,
                       const uint2 k)
{
    uint16 a0 = ctr0, a1 = (uint16)(c1), a2 = (uint16)(c2), a3 = (uint16)(c3);
    uint k0 = k.x, k1 = k.y;
#pragma unroll
    for (int r = 0; r < 10; r++) {
        const uint16 hi0 = mul_hi((uint16)(PHILOX_M0), a0), lo0 = (uint16)(PHILOX_M0) * a0;
        const uint16 hi1 = mul_hi((uint16)(PHILOX_M1), a2), lo1 = (uint16)(PHILOX_M1) * a2;
        a0 = hi1 ^ a1 ^ k0;
        a2 = hi0 ^ a3 ^ k1;
        a1 = lo1;
        a3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    *w0 = a0;
    *w1 = a1;
}

float16 philox_standard_normal_x16(const uint16 w0, const uint16 w1)
{
    // ln a (philox_log)
    const float16 a = convert_float16((w0 >> 8) + 1u) * 0x1p-24f;
    const uint16 bits = as_uint16(a);
    const int16 above = as_int16(((bits & 0x007FFFFFu) | 0x3F800000u) > (uint16)(SQRT2_BITS));
    const uint16 mbits = ((bits & 0x007FFFFFu) | 0x3F800000u) - (as_uint16(above) & 0x00800000u);
    const int16 e = as_int16(bits >> 23) - 127 - above; // above is -1 where true
    const float16 f = as_float16(mbits) - 1.0f;
    float16 q;
    LOG1P_Q(float16, f, q);
    const float16 l1p = fma(f * f, q, f);
    const float16 fe = convert_float16(e);
    const float16 v = -2.0f * fma(fe, (float16)(LN2_HI), fma(fe, (float16)(LN2_LO), l1p));
    // sqrt v (philox_sqrt)
    const float16 h = 0.5f * v;
    float16 y = as_float16((uint16)(0x5F375A86u) - (as_uint16(v) >> 1));
    RSQRT_NEWTON3(float16, h, y);
    const float16 s = v * y;
    const float16 root = select(fma(fma(-s, s, v), 0.5f * y, s), (float16)(0.0f), v == 0.0f);
    // cos theta (philox_cos_turn)
    const uint16 k = w1 >> 8;
    const uint16 quadrant = k >> 22;
    const float16 t = convert_float16(as_int16(k & 0x3FFFFFu) - 0x200000) * TWO_PI_2M24;
    const float16 t2 = t * t;
    float16 sp, c;
    SIN_COS_TAYLOR(float16, t, t2, sp, c);
    const float16 sin_t = fma(t * t2, sp, t);
    const float16 cos_t = fma(t2 * t2, c, fma((float16)(-0.5f), t2, (float16)(1.0f)));
    const float16 turn = select(select(select(sin_t, -cos_t, as_int16(quadrant == 2u)), -sin_t, as_int16(quadrant == 1u)),
                                cos_t, as_int16(quadrant == 0u));
    return root * turn;
}

// synthetic_data in two launches: the features, 16 consecutive elements per work-item (the last
// item's past count one by one), then the labels one work-item per row, reading its features back.
// Geometry: synthetic_features: global = roundUp(ceil(count / 16), WG).
__kernel void synthetic_features(__global float* restrict x, const int count, const uint seed_lo, const uint seed_hi)
{
    const int g = get_global_id(0);
    const int e0 = g * 16;
    if (e0 >= count) return;
    const uint2 key = (uint2)(seed_lo, seed_hi);
    if (e0 + 16 <= count) {
        uint16 w0, w1;
        philox4x32_10_x16(&w0, &w1, (uint)e0 + (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 0u, 2u,
                          0u, key);
        vstore16(philox_standard_normal_x16(w0, w1), 0, x + e0);
    } else {
        for (int e = e0; e < count; e++) {
            const uint4 r = philox4x32_10((uint4)((uint)e, 0u, 2u, 0u), key);
            x[e] = philox_standard_normal(r.x, r.y);
        }
    }
}

__kernel void synthetic_labels(__global float* restrict y, __global const float* restrict x,
                               __global const float* restrict w, const int n, const int d, const float b,
                               const uint seed_lo, const uint seed_hi)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    __global const float* xi = x + (size_t)i * d;
    float acc = 0.0f;
    for (int j = 0; j < d; j++) {
        acc = fma(xi[j], w[j], acc);
    }
    const uint4 r = philox4x32_10((uint4)((uint)i, 1u, 2u, 0u), (uint2)(seed_lo, seed_hi));
    y[i] = fma(0.01f, philox_standard_normal(r.x, r.y), acc + b);
}
