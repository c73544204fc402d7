// matmul.cl — C = A·B (+ bias), the forward pass of linreg: y_hat = X·w + b.
//
//   C[i][j] = sum_k A[i][k] * B[k][j]  (+ bias[j] when bias != NULL)
//
// Shapes, all row-major and densely packed:
//   A: M x K (lda = K)    B: K x N (ldb = N)    C: M x N (ldc = N)    bias: N (or NULL)
//
// Kernel `matmul` — local-memory tiles of TILE x TILE, one output per work-item.
//   global = (roundUp(N, TILE), roundUp(M, TILE)), local = (TILE, TILE).
//   Ragged edges: tiles are zero-padded on load, and work-items outside C write nothing.
//
// The sum over k runs in increasing k in one accumulator, so the result is within
// (K + 1) * u * (sum_k |A[i][k] * B[k][j]| + |bias[j]|) of the exact value (u = 2^-24).

#ifndef TILE
#define TILE 16
#endif

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
