// common.cl — helpers the kernel files share, included first (`#include "common.cl"`). Each sum is
// named after the order in which it adds, since the bits of every result depend on that order.
//
//   CAT(a, b), floatV, vloadV, vstoreV
//       float vectors of VW lanes: VW is the including file's vector width (a -D option; default 4).
//   FOR_ITEM_VECTORS(v, nv, t, items)
//       a loop over the vectors 0 .. nv of a grid that item t of `items` takes, in increasing order:
//       with CONTIGUOUS = 1 (CPUs) one run [t*m, (t+1)*m), m = ceil(nv / items), so that an item
//       streams through memory; with CONTIGUOUS = 0 (GPUs) t, t + items, t + 2 items, ... (the
//       grid-stride loop), so that neighbouring items read neighbouring vectors.
//   fold_halves4(v), fold_halves8(v), fold_halves16(v), fold_halvesV(v)
//       the lanes of v added as halves: lane l + lane l + W/2 for every l < W/2, then the same on the
//       W/2 sums, down to one (for 16 lanes: l + l+8, then l + l+4, l + l+2, l + l+1).
//   fold_neighbours16(v)
//       the 16 lanes of v added as neighbours: lane 2m + lane 2m+1 for every m < 8, then the same on
//       the 8 sums, down to one (four levels).
//   FOLD_NEIGHBOURS16(p, c)
//       c float16 vectors p[0 .. c) (c a power of two <= 16), each holding 16 / c rows of c lanes, folded
//       into p[0]: one lane per row, each row's lanes added as neighbours, as fold_neighbours16 does.
//   local_tree_sum(p, v, n)
//       the values v of the n items of a work-group (n a power of two, the group's size) added in a
//       fixed tree in local memory: item l adds p[l + h] for h = n/2, n/4, ..., 1; the sum ends in p[0].
//       Every item must call it. Barriers: CLK_LOCAL_MEM_FENCE after the values are stored and after
//       each level of the tree.
//   SUM_SQUARES64(p, n, VALUE, items)
//       the squares of VALUE(i), i < n, summed in 64 lanes by a work-group of `items` items: lane l
//       the fma(x, x, s) of i = l, l + 64, ... in order from 0.0f (item t owns lanes t, t + items,
//       ...), then p[l] += p[l + h] for h = 32, 16, ..., 1; the sum ends in p[0] (64 floats of local
//       memory). Every item must reach it. Barriers: CLK_LOCAL_MEM_FENCE after the lanes are stored
//       and after each level of the tree. Reference.sumSquares64 adds in the same order.

#ifndef COMMON_CL
#define COMMON_CL

#ifndef VW
#define VW 4
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VW)
#define vloadV CAT(vload, VW)
#define vstoreV CAT(vstore, VW)
#define fold_halvesV CAT(fold_halves, VW)

float fold_halves4(const float4 v)
{
    const float2 a2 = v.lo + v.hi;
    return a2.x + a2.y;
}

float fold_halves8(const float8 v)
{
    return fold_halves4(v.lo + v.hi);
}

float fold_halves16(const float16 v)
{
    return fold_halves8(v.lo + v.hi);
}

float fold_neighbours16(const float16 v)
{
    const float8 a8 = v.even + v.odd;
    const float4 a4 = a8.even + a8.odd;
    const float2 a2 = a4.even + a4.odd;
    return a2.x + a2.y;
}

#define FOLD_NEIGHBOURS16(p, c)                                                        \
    _Pragma("unroll")                                                                  \
    for (int w_ = (c); w_ > 1; w_ /= 2) {                                              \
        _Pragma("unroll")                                                              \
        for (int k_ = 0; k_ < w_ / 2; k_++) {                                          \
            p[k_] = (float16)(p[2 * k_].even + p[2 * k_].odd,                          \
                              p[2 * k_ + 1].even + p[2 * k_ + 1].odd);                 \
        }                                                                              \
    }

void local_tree_sum(__local float* p, const float v, const int n)
{
    const int lid = get_local_id(0);
    p[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = n / 2; h > 0; h >>= 1) {
        if (lid < h) p[lid] += p[lid + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

#define SUM_SQUARES64(p, n, VALUE, items)                                             \
    for (int l_ = get_local_id(0); l_ < 64; l_ += (items)) {                           \
        float s_ = 0.0f;                                                               \
        for (int i_ = l_; i_ < (n); i_ += 64) {                                        \
            const float x_ = VALUE(i_);                                                \
            s_ = fma(x_, x_, s_);                                                      \
        }                                                                              \
        (p)[l_] = s_;                                                                  \
    }                                                                                  \
    barrier(CLK_LOCAL_MEM_FENCE);                                                      \
    for (int h_ = 32; h_ > 0; h_ >>= 1) {                                              \
        for (int l_ = get_local_id(0); l_ < h_; l_ += (items)) {                       \
            (p)[l_] += (p)[l_ + h_];                                                   \
        }                                                                              \
        barrier(CLK_LOCAL_MEM_FENCE);                                                  \
    }

#if CONTIGUOUS
#define FOR_ITEM_VECTORS(v, nv, t, items)                                              \
    for (int v = (t) * (((nv) + (items) - 1) / (items)),                               \
             v##_end = min((nv), ((t) + 1) * (((nv) + (items) - 1) / (items)));        \
         v < v##_end; v++)
#else
#define FOR_ITEM_VECTORS(v, nv, t, items) for (int v = (t); v < (nv); v += (items))
#endif

#endif
