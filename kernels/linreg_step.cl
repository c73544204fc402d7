// linreg_step.cl — one minibatch of d2l's training loop in one launch: forward, residual, gradient
// and SGD update, reading the batch's rows of X through the epoch's permutation.
//
//   for t < count:  i_t = idx[start + t]
//                   r_t = (dot16(X[i_t], w) + b) - y[i_t]               the residual y_hat - y
//   g_j = sum_t X[i_t][j] * r_t  (j < d),   g_d = sum_t r_t             l.sum().backward()
//   w_j = w_j - lr * g_j / batch_size,      b = b - lr * g_d / batch_size     sgd()
//
// Every float operation is fixed, so the result is bitwise equal to Reference.linregStep on any
// device and for any work-group size:
//   dot16(x, w): 16 lanes, lane l = fma(x[j], w[j], lane l) for j = l, l + 16, ... in order, then
//     neighbouring lanes added pairwise (2m + 2m+1, four times over);
//   g_j = fma(X[i_t][j], r_t, g_j) for t = 0, 1, ... in order (g_d = g_d + r_t);
//   every sum starts from -0.0f, the exact identity of +, so a lane or sum that gets no term
//   changes nothing: the first term enters unrounded, as if the sum started with it;
//   explicit fma() and no a*b+c anywhere else, so nothing depends on the compiler's contraction;
//   the host builds with -cl-fp32-correctly-rounded-divide-sqrt (IEEE division, as in Java).
//
// Shapes: w: d, b: 1 (both updated in place), X: n x d row-major, y: n, idx: a permutation of
// 0..n-1; rows idx[start .. start + count) form the batch; batch_size is d2l's divisor (the
// configured batch size, also for a last, smaller batch).
// Local memory: r: CH floats, g: 16 * ceil((d + 1) / 16) floats (both __local arguments).
// Geometry: one work-group, global = local = L (a power of two, >= 1). The batch is taken in
// chunks of CH rows: the items compute the chunk's residuals (rows lid, lid + L, ...), then the
// gradient's blocks of 16 parameters (blocks lid, lid + L, ...), each block walking the chunk's rows
// in order. On a CPU L = 1: the whole step is one loop on one core, and CH rows of X (about 16 KiB)
// are read from memory once and from L1 the second time.

#ifndef L
#define L 64
#endif
#ifndef CH
#define CH 64
#endif

float dot16(__global const float* restrict x, __global const float* restrict w, const int d)
{
    float16 acc = (float16)(-0.0f);
    int j = 0;
    for (; j + 16 <= d; j += 16) {
        acc = fma(vload16(0, x + j), vload16(0, w + j), acc);
    }
    if (j < d) {
        float lane[16];
        vstore16(acc, 0, lane);
        for (int l = 0; j + l < d; l++) {
            lane[l] = fma(x[j + l], w[j + l], lane[l]);
        }
        acc = vload16(0, lane);
    }
    const float8 a8 = acc.even + acc.odd;
    const float4 a4 = a8.even + a8.odd;
    const float2 a2 = a4.even + a4.odd;
    return a2.x + a2.y;
}

// The 16 parameters of block k as the multipliers of r: X[i][16k ..] with column d read as 1 (the
// bias's feature) and columns past d as 0.
float16 block16(__global const float* restrict x, const int d, const int k)
{
    const int j0 = 16 * k;
    if (j0 + 16 <= d) {
        return vload16(0, x + j0);
    }
    float v[16];
    for (int l = 0; l < 16; l++) {
        const int j = j0 + l;
        v[l] = j < d ? x[j] : (j == d ? 1.0f : 0.0f);
    }
    return vload16(0, v);
}

// One minibatch step by the calling work-group; every item must call it. Returns, in every item,
// whether a parameter this item wrote is not finite.
bool linreg_step_group(__global float* restrict w, __global float* restrict b,
                       __global const float* restrict X, __global const float* restrict y,
                       __global const int* restrict idx, const int start, const int count,
                       const float lr, const int batch_size, const int d,
                       __local float* restrict r, __local float* restrict g)
{
    const int lid = get_local_id(0);
    const int blocks = (d + 16) / 16;
    for (int k = lid; k < blocks; k += L) {
        vstore16((float16)(-0.0f), k, g);
    }
    const float bias = b[0];
    barrier(CLK_LOCAL_MEM_FENCE);

    for (int c0 = 0; c0 < count; c0 += CH) {
        const int rows = min(CH, count - c0);
        for (int t = lid; t < rows; t += L) {
            const int i = idx[start + c0 + t];
            r[t] = (dot16(X + (size_t)i * d, w, d) + bias) - y[i];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = lid; k < blocks; k += L) {
            float16 acc = vload16(k, g);
            for (int t = 0; t < rows; t++) {
                const int i = idx[start + c0 + t];
                acc = fma(block16(X + (size_t)i * d, d, k), (float16)(r[t]), acc);
            }
            vstore16(acc, k, g);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    bool bad = false;
    for (int j = lid; j <= d; j += L) {
        if (j < d) {
            w[j] = w[j] - lr * g[j] / (float)batch_size;
            bad |= !isfinite(w[j]);
        } else {
            b[0] = bias - lr * g[d] / (float)batch_size;
            bad |= !isfinite(b[0]);
        }
    }
    barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
    return bad;
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_step(__global float* restrict w,
                 __global float* restrict b,
                 __global const float* restrict X,
                 __global const float* restrict y,
                 __global const int* restrict idx,
                 const int start, const int count,
                 const float lr, const int batch_size, const int d,
                 __local float* restrict r, __local float* restrict g)
{
    linreg_step_group(w, b, X, y, idx, start, count, lr, batch_size, d, r, g);
}
