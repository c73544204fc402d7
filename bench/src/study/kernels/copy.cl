// copy.cl — y = a * x over n floats: the plainest streaming kernel, the bandwidth ceiling the
// GEMV, reduce and training benchmarks are judged against (it reads n floats and writes n).
//
//   y[i] = a * x[i]   for i < n
//
// Shapes: x, y: n floats. Geometry: global = any number of work-items T, local = WG.
// x is read as nv = n / VW vectors of VW floats, then n % VW scalars; item t handles m = ceil(nv / T)
// vectors, the same way as reduce.cl:
//   CONTIGUOUS = 1 (CPUs): vectors [t*m, (t+1)*m);  CONTIGUOUS = 0 (GPUs): t, t + T, t + 2T, ...
// The last item also does the n % VW leftover floats. One rounding per element: bitwise equal to
// Java's a * x[i].

#ifndef CONTIGUOUS
#define CONTIGUOUS 0
#endif

#include "common.cl"

__kernel void copy_scale(__global float* restrict y,
                         __global const float* restrict x,
                         const float a,
                         const int n)
{
    const int t = get_global_id(0), items = get_global_size(0);
    const int nv = n / VW;
    FOR_ITEM_VECTORS(v, nv, t, items) {
        vstoreV(a * vloadV(v, x), v, y);
    }
    if (t == items - 1) {
        for (int i = nv * VW; i < n; i++) {
            y[i] = a * x[i];
        }
    }
}
