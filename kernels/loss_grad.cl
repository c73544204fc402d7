// loss_grad.cl — the analytic gradient of sum_i (y_hat[i] - y[i])^2 / 2 over a minibatch:
//
//   dw[j] = sum_i X[i][j] * (y_hat[i] - y[i])      (dw = X^T r)
//   db    = sum_i          (y_hat[i] - y[i])      (db = sum r)
//
// Shapes: X: n x d row-major; y_hat, y: n; dw: d; db: 1.
// The gradient is written (not accumulated): no zeroing is needed before the launch.
// Both variants add each output's n terms in an order fixed by n and the launch sizes, so the
// result is within (n + 1) * u * sum_i |X[i][j] r_i| of the exact value and repeats bit for bit.
//
// Kernel `loss_grad` (PER_OUTPUT) — minibatches: one work-group per output: group j < d computes
//   dw[j], group d computes db.
//   global = (d + 1) * WG, local = WG (a power of two).
//   Each work-item sums rows i = lid, lid + WG, ... in increasing order, then the group adds the
//   WG partial sums in a fixed tree (local_tree_sum).
//
// Kernels `loss_grad_rows` + `loss_grad_sum` (ROWS) — long batches, X read once, in row order:
//   loss_grad_rows: global = G * L, local = L; d is the compile-time D (rows16.cl). Group g takes
//     rows [g * R, (g + 1) * R); item lid sums, for each of its blocks k = lid, lid + L, ..., the
//     16 values r_i * X[i][16k ..] over the rows in order (column D is the bias's, read as 1) and
//     writes them to partial[g * P + 16k ..], P = 16 * ceil((D + 1) / 16). Block k reads one 64-byte
//     slice of each row, so the blocks together read every cache line of the rows once.
//   loss_grad_sum: global = local = L: dw[j] (db for j = D) = the G partials added in group order.
//
// Kernels `residual_grad` and `residual_grad_rows` (+ `loss_grad_sum`) — the same two variants with
//   the residual factor r precomputed (loss.cl's loss_residual: r, 2r, sign(r) or Huber's clamp):
//   dw = X^T r, db = sum r, each sum in the same order, launched with the same sizes, under the
//   same bound with r in place of y_hat - y.
//
// Barriers: loss_grad and residual_grad, CLK_LOCAL_MEM_FENCE around each level of the tree in partial (local memory
// only: the group's global reads are of inputs nobody writes). The ROWS pair share no memory within
// a launch: each item writes its own blocks of partial; loss_grad_sum reads them in a later launch.

#ifndef WG
#define WG 64
#endif
#ifndef L
#define L 1
#endif

#include "rows16.cl"

// The residual factor of row i: r[i] where the caller gives r (residual_grad*), else y_hat[i] - y[i]
// (loss_grad*). The branch is the same for every work-item of a launch.
float residual_at(__global const float* r, __global const float* y_hat, __global const float* y, const int i)
{
    return r ? r[i] : y_hat[i] - y[i];
}

// PER_OUTPUT: output j (dw[j], or db for j = d) of the calling work-group.
void per_output(__global float* dw, __global float* db, __local float* partial, __global const float* X,
                __global const float* r, __global const float* y_hat, __global const float* y, const int n,
                const int d)
{
    const int j = get_group_id(0);
    const int lid = get_local_id(0);
    float acc = 0.0f;
    for (int i = lid; i < n; i += WG) {
        const float ri = residual_at(r, y_hat, y, i);
        acc += (j < d) ? X[(size_t)i * d + j] * ri : ri;
    }
    local_tree_sum(partial, acc, WG);
    if (lid == 0) {
        if (j < d) dw[j] = partial[0];
        else       db[0] = partial[0];
    }
}

// ROWS, first launch: the calling group's rows, summed per block of 16 outputs.
void rows_partial(__global float* partial, __global const float* X, __global const float* r,
                  __global const float* y_hat, __global const float* y, const int n, const int rows_per_group)
{
    const int i0 = get_group_id(0) * rows_per_group;
    const int i1 = min(n, i0 + rows_per_group);
    for (int k = get_local_id(0); k < BLOCKS; k += L) {
        float16 acc = (float16)(0.0f);
        for (int i = i0; i < i1; i++) {
            acc = fma(block16(X + (size_t)i * D, k), (float16)(residual_at(r, y_hat, y, i)), acc);
        }
        vstore16(acc, get_group_id(0) * BLOCKS + k, partial);
    }
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void loss_grad(__global float* restrict dw,
               __global float* restrict db,
               __global const float* restrict X,
               __global const float* restrict y_hat,
               __global const float* restrict y,
               const int n, const int d)
{
    __local float partial[WG];
    per_output(dw, db, partial, X, 0, y_hat, y, n, d);
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void loss_grad_rows(__global float* restrict partial,
                    __global const float* restrict X,
                    __global const float* restrict y_hat,
                    __global const float* restrict y,
                    const int n, const int rows_per_group)
{
    rows_partial(partial, X, 0, y_hat, y, n, rows_per_group);
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void loss_grad_sum(__global float* restrict dw,
                   __global float* restrict db,
                   __global const float* restrict partial,
                   const int groups)
{
    for (int j = get_local_id(0); j <= D; j += L) {
        float total = 0.0f;
        for (int q = 0; q < groups; q++) {
            total += partial[q * 16 * BLOCKS + j];
        }
        if (j < D) dw[j] = total;
        else       db[0] = total;
    }
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void residual_grad(__global float* restrict dw,
                   __global float* restrict db,
                   __global const float* restrict X,
                   __global const float* restrict r,
                   const int n, const int d)
{
    __local float partial[WG];
    per_output(dw, db, partial, X, r, 0, 0, n, d);
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void residual_grad_rows(__global float* restrict partial,
                        __global const float* restrict X,
                        __global const float* restrict r,
                        const int n, const int rows_per_group)
{
    rows_partial(partial, X, r, 0, 0, n, rows_per_group);
}
