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
// per element (synthetic_data: per row, which writes its d features and its label), global =
// roundUp(n, WG), any local size; the ragged end is guarded (if (i >= n) return;). No local memory,
// no barriers.

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
    float q = -0x1.4237fcp-4f;
    q = fma(q, f, 0x1.0696e4p-3f);
    q = fma(q, f, -0x1.0c524cp-3f);
    q = fma(q, f, 0x1.22973ap-3f);
    q = fma(q, f, -0x1.548882p-3f);
    q = fma(q, f, 0x1.99a3ecp-3f);
    q = fma(q, f, -0x1.000206p-2f);
    q = fma(q, f, 0x1.55554ep-2f);
    q = fma(q, f, -0x1.fffffep-2f);
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
    for (int it = 0; it < 3; it++) {
        y = y * fma(-(h * y), y, 1.5f);
    }
    const float s = v * y;
    return fma(fma(-s, s, v), 0.5f * y, s);
}

// cos theta, theta = 2 pi k / 2^24 - pi/4 for the 24-bit k (a full turn, shifted).
float philox_cos_turn(const uint k)
{
    const uint q = k >> 22;
    const float t = (float)((int)(k & 0x3FFFFFu) - 0x200000) * TWO_PI_2M24;
    const float t2 = t * t;
    float s = 0x1.71de3ap-19f;
    s = fma(s, t2, -0x1.a01a02p-13f);
    s = fma(s, t2, 0x1.111112p-7f);
    s = fma(s, t2, -0x1.555556p-3f);
    const float sin_t = fma(t * t2, s, t);
    float c = -0x1.27e4fcp-22f;
    c = fma(c, t2, 0x1.a01a02p-16f);
    c = fma(c, t2, -0x1.6c16c2p-10f);
    c = fma(c, t2, 0x1.555556p-5f);
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

__kernel void synthetic_data(__global float* restrict x, __global float* restrict y, __global const float* restrict w,
                             const int n, const int d, const float b, const uint seed_lo, const uint seed_hi)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const uint2 key = (uint2)(seed_lo, seed_hi);
    const uint row = (uint)i * (uint)d; // < 2^31: n * d fits an int
    float acc = 0.0f;
    for (int j = 0; j < d; j++) {
        const uint4 r = philox4x32_10((uint4)(row + (uint)j, 0u, 2u, 0u), key);
        const float xij = philox_standard_normal(r.x, r.y);
        x[row + (uint)j] = xij;
        acc = fma(xij, w[j], acc);
    }
    const uint4 r = philox4x32_10((uint4)((uint)i, 1u, 2u, 0u), key);
    y[i] = fma(0.01f, philox_standard_normal(r.x, r.y), acc + b);
}
