// loss_grad.cl — the analytic gradient of sum_i (y_hat[i] - y[i])^2 / 2 over a minibatch:
//
//   dw[j] = sum_i X[i][j] * (y_hat[i] - y[i])      (dw = X^T r)
//   db    = sum_i          (y_hat[i] - y[i])      (db = sum r)
//
// Shapes: X: n x d row-major; y_hat, y: n; dw: d; db: 1.
// The gradient is written (not accumulated): no zeroing is needed before the launch.
//
// Kernel `loss_grad` — one work-group per output: group j < d computes dw[j], group d computes db.
//   global = (d + 1) * WG, local = WG (a power of two).
//   Each work-item sums rows i = lid, lid + WG, ... in increasing order, then the group adds the
//   WG partial sums in a fixed tree: the result depends only on n and WG, never on timing.

#ifndef WG
#define WG 64
#endif

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void loss_grad(__global float* restrict dw,
               __global float* restrict db,
               __global const float* restrict X,
               __global const float* restrict y_hat,
               __global const float* restrict y,
               const int n, const int d)
{
    __local float partial[WG];
    const int j = get_group_id(0);
    const int lid = get_local_id(0);

    float acc = 0.0f;
    for (int i = lid; i < n; i += WG) {
        const float r = y_hat[i] - y[i];
        acc += (j < d) ? X[(size_t)i * d + j] * r : r;
    }
    partial[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) partial[lid] += partial[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        if (j < d) dw[j] = partial[0];
        else       db[0] = partial[0];
    }
}
