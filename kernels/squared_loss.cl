// squared_loss.cl — the d2l loss, elementwise:  l[i] = (y_hat[i] - y[i])^2 / 2
//
// Shapes: l, y_hat, y: n floats.
// Geometry: global = roundUp(n, WG), any local size; work-items with i >= n return.
// Contraction is off, so each l[i] is the correctly rounded result of the same three
// float operations the Java reference performs: bitwise equal to it.

#pragma OPENCL FP_CONTRACT OFF

__kernel void squared_loss(__global float* restrict l,
                           __global const float* restrict y_hat,
                           __global const float* restrict y,
                           const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float r = y_hat[i] - y[i];
    l[i] = r * r / 2.0f;
}
