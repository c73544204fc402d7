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
// Shapes: as linreg_step.cl, with n rows; loss: 1 float; status: 1 int; linreg_epoch_loss's lanes:
// 16 min(L, ceil(n / 16)) floats.
// Local memory: r: max(CH, L) floats, g and gt: 16 * ceil((D + 1) / 16) floats.
// Geometry: one work-group, global = local = L, for each of the three kernels.
// Barriers: the steps' own (linreg_step.cl), whose last, with a global fence, precedes the loss's
// reads of w and b; CLK_LOCAL_MEM_FENCE around first_bad's initialisation and each level of the
// loss's tree in r. first_bad is written with atomic_cmpxchg only, and read after the last step and
// a barrier (the loss's tree's, or linreg_epoch_steps' own). linreg_epoch_loss's lanes: each item
// reads and writes its own 16 floats, once per launch.
//
// The epoch is linreg_epoch_group, a function of the calling work-group, so that linreg_sweep.cl
// runs the same operations for many runs at once, one work-group each.

#include "linreg_step.cl"

#ifndef EPOCH_CHUNKS
#define EPOCH_CHUNKS 0
#endif

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

// The steps of an epoch, or of a chunk of one, by the calling work-group; every item must call it.
// step0: the epoch's index of the first step (0 but for a chunk after the first, whose running loss
// goes on from the chunk before). *first_bad: 0, or 1 + the epoch's index of the first step after
// which a parameter was not finite; read it after a barrier. first_bad: a __local int of the calling
// kernel's (OpenCL 1.2 declares __local variables in kernels only), norm_lanes its NORM_LANES.
void linreg_epoch_steps_group(PARAM_ARGS, DATA_ARGS, const int n, const int batch_size, const int step0,
                              const float delta, UPDATE_ARGS, LOCAL_ARGS, __local float* restrict norm_lanes,
                              volatile __local int* first_bad)
{
    const int lid = get_local_id(0);
    if (lid == 0) *first_bad = 0;
    if (RUNNING_LOSS && lid == 0 && step0 == 0) running[0] = 0.0f; // item 0 alone reads and writes it
    barrier(CLK_LOCAL_MEM_FENCE);

    int step = 0;
    for (int start = 0; start < n; start += batch_size, step++) {
        const bool bad = linreg_step_group(w, b, v, running, X, y, idx, start, min(batch_size, n - start), n, delta,
                                           lr, divisor, mu, first && step == 0, max_norm, r, g, gt,
                                           norm_lanes);
        if (bad) atomic_cmpxchg(first_bad, 0, step0 + step + 1);
    }
}

// The calling item's 16 lanes of the loss, with the loss terms of its rows among the epoch's rows
// [row0, row0 + rows) added: x and y start at row row0 of the epoch's n rows (in their own order).
// Item lid takes the blocks of 16 rows q = lid, lid + L, ... below n / 16, in order, row i in lane
// i % 16; a block that a chunk's edge splits is added row by row into the same lanes (a lane's sum
// is its own: adding a block's lanes at once or in two parts is the same operations), and item 0
// adds the n % 16 rows left over after all its blocks. So any chunking of the rows, each chunk's
// lanes passed on to the next, gives the lanes of the whole epoch at once, bit for bit.
float16 linreg_epoch_loss_lanes(float16 lanes, __global const float* restrict x, __global const float* restrict y,
                                __global const float* restrict w, const float bias, const int row0, const int rows,
                                const int n, const float delta)
{
    const int lid = get_local_id(0);
    const int end = row0 + rows;
    const int blocks = n / 16;
    const int last = min((int)(((long)end + 15) / 16), blocks);
    for (int q = row0 / 16 + (lid + L - row0 / 16 % L) % L; q < last; q += L) {
        const int lo = q * 16;
        if (lo >= row0 && lo + 16 <= end) {
            const float16 res = (dot16x16(x + (size_t)(lo - row0) * D, w) + bias) - vload16(0, y + (lo - row0));
            lanes += LOSS_TERM(res, delta);
        } else {
            float t[16];
            vstore16(lanes, 0, t);
            for (int i = max(lo, row0); i < min(lo + 16, end); i++) {
                const float ri = (dot16(x + (size_t)(i - row0) * D, w) + bias) - y[i - row0];
                t[i % 16] += LOSS_TERM(ri, delta);
            }
            lanes = vload16(0, t);
        }
    }
    if (lid == 0 && end > blocks * 16) {
        float t[16];
        vstore16(lanes, 0, t);
        for (int i = max(blocks * 16, row0); i < end; i++) {
            const float ri = (dot16(x + (size_t)(i - row0) * D, w) + bias) - y[i - row0];
            t[i % 16] += LOSS_TERM(ri, delta);
        }
        lanes = vload16(0, t);
    }
    return lanes;
}

// One run's epoch by the calling work-group; every item must call it. first_bad and norm_lanes: as
// for linreg_epoch_steps_group.
void linreg_epoch_group(PARAM_ARGS, __global float* restrict loss, __global int* restrict status, DATA_ARGS,
                        const int n, const int batch_size, const float delta, UPDATE_ARGS, LOCAL_ARGS,
                        __local float* restrict norm_lanes, volatile __local int* first_bad)
{
    linreg_epoch_steps_group(w, b, v, running, X, y, idx, n, batch_size, 0, delta, UPDATE_PASS, r, g, gt, norm_lanes,
                             first_bad);
    const float16 lanes = linreg_epoch_loss_lanes((float16)(0.0f), X, y, w, b[0], 0, n, n, delta);
    local_tree_sum(r, fold_neighbours16(lanes), L);
    if (get_local_id(0) == 0) {
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

#if EPOCH_CHUNKS
// An epoch whose rows come in chunks (data streamed from the host), in two passes: the steps of
// each chunk (its rows gathered in the permutation's order; idx the identity), then the loss over
// the chunks of the rows in their own order. Together they give linreg_epoch's w, b, v, running,
// status and loss, bit for bit, when built with linreg_epoch's L. Only a build with
// -DEPOCH_CHUNKS=1 holds them, so that the in-memory epoch's program (and linreg_sweep.cl's)
// compiles one kernel.

// linreg_epoch's steps over the n rows of a chunk; step0: the epoch's index of its first step.
// status[0] = 1 + the first step after which a parameter was not finite, kept from an earlier chunk.
__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_epoch_steps(PARAM_ARGS, __global int* restrict status, DATA_ARGS, const int n, const int batch_size,
                        const int step0, const float delta, UPDATE_ARGS, LOCAL_ARGS)
{
    __local int first_bad;
    NORM_LANES;
    linreg_epoch_steps_group(w, b, v, running, X, y, idx, n, batch_size, step0, delta, UPDATE_PASS, r, g, gt,
                             norm_lanes, &first_bad);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (get_local_id(0) == 0 && (step0 == 0 || status[0] == 0)) status[0] = first_bad;
}

// linreg_epoch's loss over rows [row0, row0 + rows) of n: lanes holds each item's 16 lanes from one
// chunk to the next, started at row0 = 0; the last chunk writes loss[0]. Items from ceil(n / 16) on
// own no block (their lanes stay 0), so lanes is 16 min(L, ceil(n / 16)) floats.
__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_epoch_loss(__global const float* restrict w, __global const float* restrict b,
                       __global float* restrict loss, __global float* restrict lanes,
                       __global const float* restrict X, __global const float* restrict y, const int row0,
                       const int rows, const int n, const float delta, __local float* restrict r)
{
    const int lid = get_local_id(0);
    const bool holds = lid < (n + 15) / 16;
    const float16 mine = linreg_epoch_loss_lanes(row0 == 0 || !holds ? (float16)(0.0f) : vload16(lid, lanes), X, y,
                                                 w, b[0], row0, rows, n, delta);
    if (row0 + rows < n) {
        if (holds) vstore16(mine, lid, lanes);
        return;
    }
    local_tree_sum(r, fold_neighbours16(mine), L);
    if (lid == 0) loss[0] = r[0];
}
#endif
