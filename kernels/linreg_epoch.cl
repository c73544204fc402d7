// linreg_epoch.cl — a whole epoch of d2l's training loop in one launch: every minibatch step in
// order through the epoch's permutation, then the epoch loss with the final parameters.
//
//   for s = 0, 1, ...:  linreg_step over rows idx[s*bs .. min((s+1)*bs, n))   (linreg_step.cl, with
//                       its loss and optimizer; first is passed on to step 0 only)
//   loss[0]   = sum_i LOSS_TERM(r_i),  r_i = (dot16(X[i], w) + b) - y[i]  over all n rows (the loss
//               the run trains: r_i * r_i / 2 for the chapter's; loss_terms.cl)
//   running[0] = with -DRUNNING_LOSS=1, the sum of the steps' batch losses (linreg_step.cl), from 0
//   status[0] = 0 when every parameter stayed finite, else 1 + the index of the first step after
//               which a parameter was not finite (inf or NaN: the run diverged)
//
// The steps are sequential, so one work-group walks them all: w and b are updated in place, and
// the host synchronises only to read loss and status once the epoch is done. The parameters are
// bitwise equal to Reference.linregEpoch's (the step's operations are fixed, see linreg_step.cl);
// the loss is a sum whose order depends on L:
//   item lid takes the blocks of 16 rows lid, lid + L, ... and adds row i's loss into lane i % 16
//   (item 0 adds the n % 16 rows left over last), adds its lanes as neighbours (fold_neighbours16),
//   and the group adds its L values in a tree (local_tree_sum), so |loss - exact| <=
//   (ceil(n / (16 L)) + 5 + log2(L)) * u * sum_i LOSS_TERM(r_i), with the r_i as computed (each
//   term's own roundings are counted by the caller).
//
// Shapes: as linreg_step.cl, with n rows; loss: 1 float; status: 1 int.
// Local memory: r: max(CH, L) floats, g and gt: 16 * ceil((D + 1) / 16) floats.
// Geometry: one work-group, global = local = L.
// Barriers: the steps' own (linreg_step.cl), whose last, with a global fence, precedes the loss's
// reads of w and b; CLK_LOCAL_MEM_FENCE around first_bad's initialisation and each level of the
// loss's tree in r. first_bad is written with atomic_cmpxchg only, and read after the last step.
//
// The epoch is linreg_epoch_group, a function of the calling work-group, so that linreg_sweep.cl
// runs the same operations for many runs at once, one work-group each.

#include "linreg_step.cl"

// dot16 of 16 consecutive rows x[0 .. 16 * D), as one float16 with the same bits: the rows' lanes
// fold together, neighbour with neighbour (FOLD_NEIGHBOURS16), as dot16 folds them one row at a time.
float16 dot16x16(__global const float* restrict x, __global const float* restrict w)
{
#if D % 16 == 0
    float16 p[16];
    #pragma unroll
    for (int r = 0; r < 16; r++) {
        p[r] = (float16)(-0.0f);
    }
    UNROLL_BLOCKS
    for (int j = 0; j < D; j += 16) {
        const float16 wj = vload16(0, w + j);
        #pragma unroll
        for (int r = 0; r < 16; r++) {
            p[r] = fma(vload16(0, x + r * D + j), wj, p[r]);
        }
    }
    FOLD_NEIGHBOURS16(p, 16);
    return p[0];
#elif D == 1 || D == 2 || D == 4 || D == 8
    // 16 rows are D float16 vectors, row r in lanes [r*D, (r+1)*D): the products, folded D -> 1.
    float16 p[D];
    #pragma unroll
    for (int k = 0; k < D; k++) {
#define W_LANE(comp, l) w[(l) % D]
        p[k] = vload16(k, x) * LANES16(W_LANE);
#undef W_LANE
    }
    FOLD_NEIGHBOURS16(p, D);
    return p[0];
#else
    float t[16];
    for (int r = 0; r < 16; r++) {
        t[r] = dot16(x + r * D, w);
    }
    return vload16(0, t);
#endif
}

// One run's epoch by the calling work-group; every item must call it. first_bad: a __local int of
// the calling kernel's (OpenCL 1.2 declares __local variables in kernels only), norm_lanes its
// NORM_LANES.
void linreg_epoch_group(PARAM_ARGS, __global float* restrict loss, __global int* restrict status, DATA_ARGS,
                        const int n, const int batch_size, const float delta, UPDATE_ARGS, LOCAL_ARGS,
                        __local float* restrict norm_lanes, volatile __local int* first_bad)
{
    const int lid = get_local_id(0);
    if (lid == 0) *first_bad = 0;
    if (RUNNING_LOSS && lid == 0) running[0] = 0.0f; // item 0 alone reads and writes it
    barrier(CLK_LOCAL_MEM_FENCE);

    int step = 0;
    for (int start = 0; start < n; start += batch_size, step++) {
        const bool bad = linreg_step_group(w, b, v, running, X, y, idx, start, min(batch_size, n - start), n, delta,
                                           lr, divisor, mu, first && step == 0, max_norm, r, g, gt,
                                           norm_lanes);
        if (bad) atomic_cmpxchg(first_bad, 0, step + 1);
    }

    // The loss: item lid takes the blocks of 16 rows lid, lid + L, ...; row i's loss goes into lane
    // i % 16. Item 0 adds the n % 16 rows left over, into their lanes, at the end.
    const float bias = b[0];
    float16 lanes = (float16)(0.0f);
    for (int q = lid; q < n / 16; q += L) {
        const float16 res = (dot16x16(X + (size_t)q * 16 * D, w) + bias) - vload16(q, y);
        lanes += LOSS_TERM(res, delta);
    }
    if (lid == 0 && n % 16 != 0) {
        float t[16];
        vstore16(lanes, 0, t);
        for (int i = n / 16 * 16; i < n; i++) {
            const float ri = (dot16(X + (size_t)i * D, w) + bias) - y[i];
            t[i % 16] += LOSS_TERM(ri, delta);
        }
        lanes = vload16(0, t);
    }
    local_tree_sum(r, fold_neighbours16(lanes), L);
    if (lid == 0) {
        loss[0] = r[0];
        status[0] = *first_bad;
    }
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_epoch(PARAM_ARGS, __global float* restrict loss, __global int* restrict status, DATA_ARGS,
                  const int n, const int batch_size, const float delta, UPDATE_ARGS, LOCAL_ARGS)
{
    __local int first_bad;
    NORM_LANES;
    linreg_epoch_group(w, b, v, running, loss, status, X, y, idx, n, batch_size, delta, UPDATE_PASS, r, g, gt,
                       norm_lanes, &first_bad);
}
