// reduce.cl — out[0..groups) = partial sums of x[0..n); run twice to get sum(x).
//
//   pass 1: reduce_sum(partials, x, n)        global = G * WG, local = WG
//   pass 2: reduce_sum(out, partials, G)      global = WG,     local = WG
//
// Each work-item first adds x[gid], x[gid + G*WG], ... (a grid-stride loop, so any n works with a
// fixed G), then the work-group adds its WG values in a fixed tree in local memory and item 0
// writes out[group]. No atomics: the order of every addition is fixed by n, G and WG, so a
// repeated run gives the same bits.
//
// Error: at most ceil(n / (G*WG)) + ceil(G / WG) + 2*log2(WG) additions stand between any x[i] and
// the result, so |sum - exact| <= that depth * u * sum|x[i]|  (u = 2^-24).

#ifndef WG
#define WG 256
#endif

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void reduce_sum(__global float* restrict out,
                __global const float* restrict x,
                const int n)
{
    __local float partial[WG];
    const int lid = get_local_id(0);
    const size_t stride = get_global_size(0);

    float acc = 0.0f;
    for (size_t i = get_global_id(0); i < (size_t)n; i += stride) {
        acc += x[i];
    }
    partial[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) partial[lid] += partial[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[get_group_id(0)] = partial[0];
}
