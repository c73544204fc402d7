// matmul.cl — C = A·B (+ bias), the forward pass of linreg: y_hat = X·w + b.
//
//   C[i][j] = sum_k A[i][k] * B[k][j]  (+ bias[j] when bias != NULL)
//
// Shapes, all row-major and densely packed:
//   A: M x K (lda = K)    B: K x N (ldb = N)    C: M x N (ldc = N)    bias: N (or NULL)
//
// Two variants, picked by MatmulKernel from the shape: GEMV for N = 1 (what linreg runs), TILED for
// the rest of Backend.matmul. Each adds every output's K products in some fixed order, so each result
// is within (K + 1) * u * (sum_k |A[i][k] B[k][j]| + |bias[j]|) of the exact value (u = 2^-24), and a
// repeated launch gives the same bits. (A register-blocked GEMM for CPUs, studied for the benchmarks,
// is bench/src/study/kernels/matmul_packed.cl.)
//
// 1. `matmul` (TILED) — the straightforward kernel: TILE x TILE tiles of A and B in local memory,
//    one output per work-item, k in increasing order.
//      global = (roundUp(N, TILE), roundUp(M, TILE)), local = (TILE, TILE).
//      Ragged edges: tiles are zero-padded on load; work-items outside C write nothing.
//      Barriers: CLK_LOCAL_MEM_FENCE after a tile is loaded (before any item reads it) and after it is
//      used (before the next load overwrites it). GEMV shares no memory within a group.
//
// 2. `gemv` / `gemv_narrow` (GEMV) — N = 1, the linreg forward pass y = X·w + b: streams A once.
//    A work-item owns rows [g * rows_per_item, ...), rows_per_item a multiple of 16, and computes
//    16 rows at a time into one float16 that is stored with one vstore16.
//    `gemv`: each row's products are summed in 16 lanes (lane l: k = l, l + 16, ... in order), the
//      lanes added as halves (fold_halves16); the 16 rows' sums go out as one float16.
//    `gemv_narrow`: K = NARROW_K in {1, 2, 4, 8, 16} (compile time): 16 rows are K float16 loads,
//      row r in lanes [r*K, (r+1)*K); for K < 16 a fold of neighbouring lanes (FOLD_NEIGHBOURS16)
//      takes the K vectors to one; for K = 16 each row's vector sums as halves, as in `gemv`.
//      global = roundUp(ceil(M / rows_per_item), 16), local = 16.
//      Ragged edges: a block of fewer than 16 rows at the end of A is done row by row.

#ifndef TILE
#define TILE 16
#endif
#ifndef NARROW_K
#define NARROW_K 2
#endif

#include "common.cl"

__kernel void matmul(__global float* restrict C,
                     __global const float* restrict A,
                     __global const float* restrict B,
                     __global const float* restrict bias,
                     const int M, const int K, const int N)
{
    __local float As[TILE][TILE];
    __local float Bs[TILE][TILE];

    const int tx = get_local_id(0), ty = get_local_id(1);
    const int col = get_group_id(0) * TILE + tx;
    const int row = get_group_id(1) * TILE + ty;

    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TILE) {
        const int ka = k0 + tx, kb = k0 + ty;
        As[ty][tx] = (row < M && ka < K) ? A[(size_t)row * K + ka] : 0.0f;
        Bs[ty][tx] = (kb < K && col < N) ? B[(size_t)kb * N + col] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = 0; k < TILE; k++) {
            acc += As[ty][k] * Bs[k][tx];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) {
        C[(size_t)row * N + col] = bias ? acc + bias[col] : acc;
    }
}

// Adds the products of the row tail k = kv .. K-1 (fewer than 16) into lanes 0 .. K-kv-1.
float16 gemv_tail(float16 acc, __global const float* restrict a, __global const float* restrict x,
                  const int kv, const int K)
{
    float t[16];
    vstore16(acc, 0, t);
    for (int k = kv; k < K; k++) {
        t[k - kv] += a[k] * x[k];
    }
    return vload16(0, t);
}

// The arguments of both GEMV kernels: y = A x (+ bias), A: M x K, rows_per_item rows per work-item.
#define GEMV_ARGS __global float* restrict y, __global const float* restrict A, __global const float* restrict x, \
                  __global const float* restrict bias, const int M, const int K, const int rows_per_item

__kernel void gemv(GEMV_ARGS)
{
    const int i0 = get_global_id(0) * rows_per_item;
    const int i1 = min(i0 + rows_per_item, M);
    const float b = bias ? bias[0] : 0.0f;
    const int kv = K / 16 * 16;
    int i = i0;
    for (; i + 16 <= i1; i += 16) {
        const __global float* a = A + (size_t)i * K;
        float16 acc[16];
        #pragma unroll
        for (int r = 0; r < 16; r++) {
            acc[r] = (float16)(0.0f);
        }
        for (int k = 0; k < kv; k += 16) {
            const float16 xk = vload16(0, x + k);
            #pragma unroll
            for (int r = 0; r < 16; r++) {
                acc[r] += vload16(0, a + (size_t)r * K + k) * xk;
            }
        }
        float s[16];
        #pragma unroll
        for (int r = 0; r < 16; r++) {
            s[r] = fold_halves16(kv < K ? gemv_tail(acc[r], a + (size_t)r * K, x, kv, K) : acc[r]);
        }
        const float16 out = vload16(0, s);
        vstore16(bias ? out + b : out, 0, y + i);
    }
    for (; i < i1; i++) {
        const __global float* a = A + (size_t)i * K;
        float16 acc = (float16)(0.0f);
        for (int k = 0; k < kv; k += 16) {
            acc += vload16(0, a + k) * vload16(0, x + k);
        }
        const float dot = fold_halves16(kv < K ? gemv_tail(acc, a, x, kv, K) : acc);
        y[i] = bias ? dot + b : dot;
    }
}

__kernel void gemv_narrow(GEMV_ARGS)
{
    const int i0 = get_global_id(0) * rows_per_item;
    const int i1 = min(i0 + rows_per_item, M);
    const float b = bias ? bias[0] : 0.0f;
    float t[16];
    for (int l = 0; l < 16; l++) {
        t[l] = x[l % NARROW_K];
    }
    const float16 xs = vload16(0, t);
    int i = i0;
    for (; i + 16 <= i1; i += 16) {
#if NARROW_K == 16
        // One row per vector: the row sums as halves, like gemv's, into one vector of 16.
        float s[16];
        #pragma unroll
        for (int r = 0; r < 16; r++) {
            s[r] = fold_halves16(vload16(r, A + (size_t)i * 16) * xs);
        }
        const float16 out = vload16(0, s);
#else
        float16 p[NARROW_K];
        #pragma unroll
        for (int v = 0; v < NARROW_K; v++) {
            p[v] = vload16(v, A + (size_t)i * NARROW_K) * xs;
        }
        FOLD_NEIGHBOURS16(p, NARROW_K);
        const float16 out = p[0];
#endif
        vstore16(bias ? out + b : out, 0, y + i);
    }
    for (; i < i1; i++) {
#if NARROW_K == 16
        const float dot = fold_halves16(vload16(0, A + (size_t)i * 16) * xs);
#else
        float16 p[NARROW_K];
        for (int v = 0; v < NARROW_K; v++) {
            p[v] = (float16)(0.0f);
        }
        float lane[16];
        for (int l = 0; l < 16; l++) {
            lane[l] = l < NARROW_K ? A[(size_t)i * NARROW_K + l] * x[l] : 0.0f;
        }
        p[0] = vload16(0, lane);
        FOLD_NEIGHBOURS16(p, NARROW_K);
        const float dot = p[0].s0;
#endif
        y[i] = bias ? dot + b : dot;
    }
}
