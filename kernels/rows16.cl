// rows16.cl — helpers for kernels that read row-major rows of D floats (D a compile-time
// constant) 16 columns at a time; included by linreg_step.cl and loss_grad.cl.
//
//   dot16(x, w)   the dot product of a row with w in a fixed order: 16 lanes, lane l =
//                 fma(x[j], w[j], lane l) for j = l, l + 16, ... in order, then neighbouring lanes
//                 added as neighbours (fold_neighbours16: 2m + 2m+1, four times over); a lane with
//                 no term is absent (it starts from -0.0f, the exact identity of +).
//   block16(x, k) columns 16k .. 16k+15 of a row as the multipliers of a residual: column D reads
//                 as 1 (the bias's feature) and columns past D as 0. Blocks k < BLOCKS cover
//                 columns 0 .. D.

#ifndef D
#define D 2
#endif

#include "common.cl"

// Blocks of 16 gradient values: columns 0 .. D-1, then the bias's column D.
#define BLOCKS ((D + 16) / 16)

// The 16 values LANE(0, 0), LANE(1, 1), ..., LANE(f, 15) as a float16, built in registers: LANE
// gets each lane's component name (0 .. f) and index (a compile-time constant).
#define LANES16(LANE) (float16)(LANE(0, 0), LANE(1, 1), LANE(2, 2), LANE(3, 3), LANE(4, 4), LANE(5, 5),     \
                                LANE(6, 6), LANE(7, 7), LANE(8, 8), LANE(9, 9), LANE(a, 10), LANE(b, 11),   \
                                LANE(c, 12), LANE(d, 13), LANE(e, 14), LANE(f, 15))

// Loops over a row's blocks of 16 columns unroll fully only for rows of up to 256 features: a
// row of 4096 unrolled is 256 copies of the body (4096 in dot16x16), which cost the compiler
// seconds on first use and gain nothing. Unrolling changes no operation's order, so no bit.
#if D <= 256
#define UNROLL_BLOCKS _Pragma("unroll")
#else
#define UNROLL_BLOCKS _Pragma("unroll 2")
#endif

// Where a row stops short of a multiple of 16: its tail starts at column TAIL0.
#define TAIL0 (D / 16 * 16)

float dot16(__global const float* restrict x, __global const float* restrict w)
{
#if D < 16
    // One term per lane, lanes l >= D absent: the pairwise tree written out, each node adding its
    // right half only where that half holds a column (PAIR's third argument is its first column).
#define LEAF(l) ((l) < D ? x[l] * w[l] : 0.0f)
#define PAIR(lo, hi, first) ((first) < D ? (lo) + (hi) : (lo))
    const float a0 = LEAF(0), a1 = LEAF(1), a2 = LEAF(2), a3 = LEAF(3), a4 = LEAF(4), a5 = LEAF(5);
    const float a6 = LEAF(6), a7 = LEAF(7), a8 = LEAF(8), a9 = LEAF(9), a10 = LEAF(10), a11 = LEAF(11);
    const float a12 = LEAF(12), a13 = LEAF(13), a14 = LEAF(14), a15 = LEAF(15);
    const float b0 = PAIR(a0, a1, 1), b1 = PAIR(a2, a3, 3), b2 = PAIR(a4, a5, 5), b3 = PAIR(a6, a7, 7);
    const float b4 = PAIR(a8, a9, 9), b5 = PAIR(a10, a11, 11), b6 = PAIR(a12, a13, 13), b7 = PAIR(a14, a15, 15);
    const float c0 = PAIR(b0, b1, 2), c1 = PAIR(b2, b3, 6), c2 = PAIR(b4, b5, 10), c3 = PAIR(b6, b7, 14);
    const float e0 = PAIR(c0, c1, 4), e1 = PAIR(c2, c3, 12);
    return PAIR(e0, e1, 8);
#undef LEAF
#undef PAIR
#else
    float16 acc = (float16)(-0.0f);
    UNROLL_BLOCKS
    for (int j = 0; j + 16 <= D; j += 16) {
        acc = fma(vload16(0, x + j), vload16(0, w + j), acc);
    }
#if D % 16 != 0
#define TAIL_FMA(comp, l) (TAIL0 + (l) < D ? fma(x[TAIL0 + (l)], w[TAIL0 + (l)], acc.s##comp) : acc.s##comp)
    acc = LANES16(TAIL_FMA);
#undef TAIL_FMA
#endif
    return fold_neighbours16(acc);
#endif
}

// The 16 parameters of block k as the multipliers of r: X[i][16k ..] with column D read as 1 (the
// bias's feature) and columns past D as 0.
float16 block16(__global const float* restrict x, const int k)
{
    if (16 * k + 16 <= D) {
        return vload16(0, x + 16 * k);
    }
#define LAST_BLOCK(comp, l) (TAIL0 + (l) < D ? x[TAIL0 + (l)] : (TAIL0 + (l) == D ? 1.0f : 0.0f))
    return LANES16(LAST_BLOCK);
#undef LAST_BLOCK
}

