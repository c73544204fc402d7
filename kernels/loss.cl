// loss.cl — the chapter's loss and the usual alternatives, elementwise, the loss chosen at build
// time (-DLOSS=SQUARED|MSE|L1|HUBER, default SQUARED). With r = y_hat[i] - y[i]:
//
//   LOSS      loss l[i]                          residual factor dl[i]/dy_hat[i]   PyTorch
//   SQUARED   r * r / 2                          r                                 d2l squared_loss
//   MSE       r * r                              2 * r                             nn.MSELoss
//   L1        |r|                                sign(r), sign(±0) = ±0            nn.L1Loss
//   HUBER     z < delta ? 0.5 * z * z            r < -delta ? -delta :             nn.HuberLoss(delta)
//               : delta * (z - 0.5 * delta),      r > delta ? delta : r
//               z = |r|
//
// The reduction (mean or sum) is reduce.cl's sum, divided by n on the host for the mean; the
// weight gradient is loss_grad.cl's residual_grad, X^T times the residual factor (divided by n
// for the mean, on the host). sign and clamp are written as comparisons: OpenCL's sign(NaN) is 0
// and its clamp(NaN, ...) a bound, while here a NaN residual stays NaN. At r = 0 the L1 factor is
// 0 (PyTorch's sign(0) = 0); at |r| = delta the Huber factor is r, as in PyTorch's backward, and
// both branches of the Huber loss give 0.5 * delta * delta.
//
// Shapes: l (or r), y_hat, y: n floats; delta: Huber's threshold (> 0), unused by the others.
// Geometry: global = roundUp(n, WG), any local size; work-items with i >= n return.
// Every float operation is fixed and contraction is off, so each result is the correctly rounded
// value of the same operations, in the same order, as Reference.loss and Reference.lossResidual:
// bitwise equal to them.

#pragma OPENCL FP_CONTRACT OFF

#define SQUARED 0
#define MSE 1
#define L1 2
#define HUBER 3

#ifndef LOSS
#define LOSS SQUARED
#endif

__kernel void loss(__global float* restrict l, __global const float* restrict y_hat,
                   __global const float* restrict y, const int n, const float delta)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float r = y_hat[i] - y[i];
#if LOSS == SQUARED
    l[i] = r * r / 2.0f;
#elif LOSS == MSE
    l[i] = r * r;
#elif LOSS == L1
    l[i] = fabs(r);
#elif LOSS == HUBER
    const float z = fabs(r);
    l[i] = z < delta ? 0.5f * z * z : delta * (z - 0.5f * delta);
#else
#error "LOSS must be SQUARED, MSE, L1 or HUBER"
#endif
}

__kernel void loss_residual(__global float* restrict r_out, __global const float* restrict y_hat,
                            __global const float* restrict y, const int n, const float delta)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float r = y_hat[i] - y[i];
#if LOSS == SQUARED
    r_out[i] = r;
#elif LOSS == MSE
    r_out[i] = 2.0f * r;
#elif LOSS == L1
    r_out[i] = r > 0.0f ? 1.0f : (r < 0.0f ? -1.0f : r);
#elif LOSS == HUBER
    r_out[i] = r < -delta ? -delta : (r > delta ? delta : r);
#else
#error "LOSS must be SQUARED, MSE, L1 or HUBER"
#endif
}
