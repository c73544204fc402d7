// matmul_packed.cl — a study: C = A·B (+ bias) with register blocking for CPUs, against the
// library's TILED `matmul` (kernels/matmul.cl) and CLBlast in MatmulBench. The library does not run
// it: linreg's forward pass is a GEMV.
//
//   C[i][j] = sum_k A[i][k] * B[k][j]  (+ bias[j] when bias != NULL)
//
// Shapes, all row-major and densely packed:
//   A: M x K (lda = K)    B: K x N (ldb = N)    C: M x N (ldc = N)    bias: N (or NULL)
// Every output's K products are added in increasing k, so each result is within (K + 1) * u *
// (sum_k |A[i][k] B[k][j]| + |bias[j]|) of the exact value (u = 2^-24), and a repeated launch gives
// the same bits.
//
// `gemm` (+ `pack_b`) (PACKED): each work-item computes an MR x NR block of C (NR = NV vectors of
//    VW floats) in MR*NV vector registers, streaming k:
//        for k: b = B[q*panel + k*row .. + NR);  for r < MR: acc[r] += A[i0 + r][k] * b
//    B is read in place (panel = NR, row = N) when every panel is whole (N % NR == 0) and its rows
//    are not a whole number of 4 KiB pages apart; otherwise `pack_b` first copies it into column
//    panels Bp[q][k][c] = B[k][q*NR + c] (zero past N; panel = K*NR, row = NR). Row-major B with a
//    page-multiple stride sends every k of a panel to the same few cache sets: at N = 1024 the
//    direct read runs at less than half the packed speed.
//      pack_b: global = (roundUp(N, NR), K), local = (NR, 1); writes K * roundUp(N, NR) floats.
//      gemm:   global = (ceil(M / MR), ceil(N / NR)), local = (1, 1).
//      Ragged edges: rows past M read row M - 1 (valid memory) and are not stored; columns past N
//      are the zero padding of Bp and are not stored.
//      The work-items share no memory.

#ifndef VW
#define VW 16
#endif
#ifndef MR
#define MR 8
#endif
#ifndef NV
#define NV 2
#endif

#define NR (VW * NV)

#include "common.cl"

__kernel void pack_b(__global float* restrict Bp,
                     __global const float* restrict B,
                     const int K, const int N)
{
    const int j = get_global_id(0), k = get_global_id(1);
    Bp[(size_t)(j / NR) * K * NR + (size_t)k * NR + j % NR] = j < N ? B[(size_t)k * N + j] : 0.0f;
}

__kernel void gemm(__global float* restrict C,
                   __global const float* restrict A,
                   __global const float* restrict B,
                   __global const float* restrict bias,
                   const int M, const int K, const int N,
                   const int panel, const int row)
{
    const int i0 = get_global_id(0) * MR, j0 = get_global_id(1) * NR;
    const __global float* b = B + (size_t)get_global_id(1) * panel;
    const __global float* a[MR];
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        a[r] = A + (size_t)min(i0 + r, M - 1) * K;
    }

    floatV acc[MR][NV];
    #pragma unroll
    for (int r = 0; r < MR; r++) {
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            acc[r][v] = (floatV)(0.0f);
        }
    }
    for (int k = 0; k < K; k++) {
        floatV bk[NV];
        #pragma unroll
        for (int v = 0; v < NV; v++) {
            bk[v] = vloadV(v, b + (size_t)k * row);
        }
        #pragma unroll
        for (int r = 0; r < MR; r++) {
            const float ark = a[r][k];
            #pragma unroll
            for (int v = 0; v < NV; v++) {
                acc[r][v] += ark * bk[v];
            }
        }
    }

    #pragma unroll
    for (int v = 0; v < NV; v++) {
        const int j = j0 + v * VW;
        floatV bv = (floatV)(0.0f);
        if (bias) {
            float t[VW];
            for (int c = 0; c < VW; c++) {
                t[c] = j + c < N ? bias[j + c] : 0.0f;
            }
            bv = vloadV(0, t);
        }
        #pragma unroll
        for (int r = 0; r < MR; r++) {
            if (i0 + r < M) {
                const floatV out = bias ? acc[r][v] + bv : acc[r][v];
                __global float* c = C + (size_t)(i0 + r) * N + j;
                if (j + VW <= N) {
                    vstoreV(out, 0, c);
                } else {
                    float t[VW];
                    vstoreV(out, 0, t);
                    for (int l = 0; j + l < N; l++) {
                        c[l] = t[l];
                    }
                }
            }
        }
    }
}
