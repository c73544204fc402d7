// gather.cl — d2l's features[batch_indices], labels[batch_indices], on the device.
//
//   x_out[r][j] = x[idx[start + r]][j],   y_out[r] = y[idx[start + r]]   for r < count, j < d
//
// Shapes: x: n x d row-major; y: n; idx: the epoch's permutation of 0..n-1;
//         x_out: count x d; y_out: count.
// Geometry: global = roundUp(count * d, WG), any local size; one work-item per element of x_out,
// the items with j == 0 also copy the label. Items past count * d return.

__kernel void gather_rows(__global float* restrict x_out,
                          __global float* restrict y_out,
                          __global const float* restrict x,
                          __global const float* restrict y,
                          __global const int* restrict idx,
                          const int start,
                          const int count,
                          const int d)
{
    const int e = get_global_id(0);
    if (e >= count * d) return;
    const int r = e / d, j = e - r * d;
    const int src = idx[start + r];
    x_out[e] = x[(size_t)src * d + j];
    if (j == 0) y_out[r] = y[src];
}
