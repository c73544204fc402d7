// reduce.cl — out[0..groups) = partial sums of x[0..n); run twice to get sum(x).
//
//   pass 1: reduce_sum(partials, x, n)        global = G * WG, local = WG
//   pass 2: reduce_sum(out, partials, G)      global = WG,     local = WG
//
// x is read as nv = n / VW vectors of VW floats, then n % VW scalars. Work-item t of the T = global
// size items adds m = ceil(nv / T) vectors or fewer into a vector accumulator (lane l sums floats
// l, l + VW, ... of its vectors, in order):
//   CONTIGUOUS = 1 (CPUs): vectors [t*m, (t+1)*m) — one long contiguous run per work-item, since a
//     CPU runs a work-item as one iteration of a loop on one core, where a strided run would touch
//     each cache line once per item;
//   CONTIGUOUS = 0 (GPUs): vectors t, t + T, t + 2T, ... — the grid-stride loop: neighbouring items
//     read neighbouring vectors.
// The item then adds its VW lanes as halves (fold_halvesV: lane l + lane l + VW/2, ...), the last
// item adds the n % VW leftover floats in order, and the work-group adds its WG values in a fixed tree
// in local memory (local_tree_sum); item 0 writes out[group]. No atomics: every addition's order is
// fixed by n, G, WG, VW and CONTIGUOUS, so a repeated run gives the same bits.
//
// Error: no float passes through more than  m + log2(VW) + (VW - 1) + log2(WG)  additions in a pass,
// so |sum - exact| <= (depth of pass 1 + depth of pass 2) * u * sum|x[i]|  (u = 2^-24).
// ReduceKernel.depth(n) computes that sum.
//
// Barriers: CLK_LOCAL_MEM_FENCE after the items' partial sums are stored and after each level of the
// tree; global memory is only read, and out[group] written by one item, so no global fence is needed.

#ifndef WG
#define WG 256
#endif
#ifndef CONTIGUOUS
#define CONTIGUOUS 0
#endif

#include "common.cl"

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void reduce_sum(__global float* restrict out,
                __global const float* restrict x,
                const int n)
{
    __local float partial[WG];
    const int lid = get_local_id(0);
    const int t = get_global_id(0), items = get_global_size(0);
    const int nv = n / VW;

    floatV acc = (floatV)(0.0f);
    FOR_ITEM_VECTORS(v, nv, t, items) {
        acc += vloadV(v, x);
    }
    float s = fold_halvesV(acc);
    if (t == items - 1) {
        for (int i = nv * VW; i < n; i++) {
            s += x[i];
        }
    }

    local_tree_sum(partial, s, WG);
    if (lid == 0) out[get_group_id(0)] = partial[0];
}
