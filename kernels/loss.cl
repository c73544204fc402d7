// loss.cl — the chapter's loss and the usual alternatives, elementwise, the loss chosen at build
// time (-DLOSS=SQUARED|MSE|L1|HUBER, default SQUARED; the table is loss_terms.cl's):
//
//   loss:           l[i] = LOSS_TERM(y_hat[i] - y[i], delta)
//   loss_residual:  r[i] = loss_factor(y_hat[i] - y[i], delta), dl[i]/dy_hat[i]
//
// The reduction (mean or sum) is reduce.cl's sum, divided by n on the host for the mean; the
// weight gradient is loss_grad.cl's residual_grad, X^T times the residual factor (divided by n
// for the mean, on the host).
//
// Shapes: l (or r), y_hat, y: n floats; delta: Huber's threshold (> 0), unused by the others.
// Geometry: global = roundUp(n, WG), any local size; work-items with i >= n return.
// Every float operation is fixed and contraction is off, so each result is the correctly rounded
// value of the same operations, in the same order, as Reference.loss and Reference.lossResidual:
// bitwise equal to them.

#include "loss_terms.cl"

__kernel void loss(__global float* restrict l, __global const float* restrict y_hat,
                   __global const float* restrict y, const int n, const float delta)
{
    const int i = get_global_id(0);
    if (i < n) {
        l[i] = LOSS_TERM(y_hat[i] - y[i], delta);
    }
}

__kernel void loss_residual(__global float* restrict r_out, __global const float* restrict y_hat,
                            __global const float* restrict y, const int n, const float delta)
{
    const int i = get_global_id(0);
    if (i < n) {
        r_out[i] = loss_factor(y_hat[i] - y[i], delta);
    }
}
