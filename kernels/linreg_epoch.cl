// linreg_epoch.cl — a whole epoch of d2l's training loop in one launch: every minibatch step in
// order through the epoch's permutation, then the epoch loss with the final parameters.
//
//   for s = 0, 1, ...:  linreg_step over rows idx[s*bs .. min((s+1)*bs, n))   (linreg_step.cl)
//   loss[0]   = sum_i (r_i * r_i / 2),  r_i = (dot16(X[i], w) + b) - y[i]  over all n rows
//   status[0] = 0 when every parameter stayed finite, else 1 + the index of the first step after
//               which a parameter was not finite (inf or NaN: the run diverged)
//
// The steps are sequential, so one work-group walks them all: w and b are updated in place, and
// the host synchronises only to read loss and status once the epoch is done. The parameters are
// bitwise equal to Reference.linregEpoch's (the step's operations are fixed, see linreg_step.cl);
// the loss is a sum whose order depends on L:
//   item lid adds the losses of rows lid, lid + L, lid + 2L, ... into 16 lanes (the m-th of its
//   rows into lane m % 16), adds neighbouring lanes pairwise, and the group adds its L values in a tree,
//   so |loss - exact| <= (ceil(n / (16 L)) + 4 + log2(L)) * u * sum_i (r_i * r_i / 2), with the
//   r_i as computed (each r_i * r_i / 2 is one more rounding, counted by the caller).
//
// Shapes: as linreg_step.cl, with n rows; loss: 1 float; status: 1 int.
// Local memory: r: max(CH, L) floats, g and gt: 16 * ceil((D + 1) / 16) floats.
// Geometry: one work-group, global = local = L.

#include "linreg_step.cl"

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_epoch(__global float* restrict w,
                  __global float* restrict b,
                  __global float* restrict loss,
                  __global int* restrict status,
                  __global const float* restrict X,
                  __global const float* restrict y,
                  __global const int* restrict idx,
                  const float lr, const int batch_size, const int n,
                  __local float* restrict r, __local float* restrict g, __local float* restrict gt)
{
    __local int first_bad;
    const int lid = get_local_id(0);
    if (lid == 0) first_bad = 0;
    barrier(CLK_LOCAL_MEM_FENCE);

    int step = 0;
    for (int start = 0; start < n; start += batch_size, step++) {
        const bool bad = linreg_step_group(w, b, X, y, idx, start, min(batch_size, n - start), lr, batch_size,
                                           r, g, gt);
        if (bad) atomic_cmpxchg(&first_bad, 0, step + 1);
    }

    float lane[16];
    for (int l = 0; l < 16; l++) {
        lane[l] = 0.0f;
    }
    const float bias = b[0];
    int m = 0;
    for (int i = lid; i < n; i += L, m++) {
        const float ri = (dot16(X + (size_t)i * D, w) + bias) - y[i];
        lane[m % 16] += ri * ri / 2.0f;
    }
    float16 acc = vload16(0, lane);
    const float8 a8 = acc.even + acc.odd;
    const float4 a4 = a8.even + a8.odd;
    const float2 a2 = a4.even + a4.odd;
    r[lid] = a2.x + a2.y;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = L / 2; h > 0; h >>= 1) {
        if (lid < h) r[lid] += r[lid + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        loss[0] = r[0];
        status[0] = first_bad;
    }
}
