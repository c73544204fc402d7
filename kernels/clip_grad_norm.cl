// clip_grad_norm.cl — torch.nn.utils.clip_grad_norm_(params, max_norm) over the two gradients of
// the linear model, in place: the 2-norm of all their values together, then one common scale.
//
//   x      = gw[0 .. nw) followed by gb[0 .. nb)      (one vector of n = nw + nb values)
//   norm   = sqrt(sum_i x_i^2)                        norm_out[0] = norm, as clip_grad_norm_ returns it
//   coef   = max_norm / (norm + 1e-6f)
//   if !(coef >= 1): x_i = x_i * coef                 PyTorch multiplies by clamp(coef, max=1): by 1
//                                                     (exact, no change) or by coef, NaN included
//
// The sum's order is part of the result's definition, fixed by n alone (not by the device):
//   LANES = 64 lanes; lane l sums x_l, x_{l+64}, x_{l+128}, ... in order, s = fma(x, x, s), from
//   s = 0.0f (x*x >= 0, so the first term enters unrounded);
//   the 64 lane sums are added as a tree: p[l] += p[l + h] for h = 32, 16, ..., 1 (local_tree_sum's
//   order on 64 values);
//   norm = sqrt(p[0]) and coef are IEEE (the host builds with -cl-fp32-correctly-rounded-divide-sqrt).
// Reference.clipGradNorm follows the same order, so norm and the scaled gradients are bitwise
// equal to it on every device and for every work-group size. Error: each square passes through
// ceil(n / 64) + 6 roundings (fma then tree), |sum - exact| <= gamma(ceil(n/64) + 6) * sum x^2.
//
// Geometry: one work-group, global = local = WG (a power of two <= 64, from the device's limits).
// Item t owns lanes t, t + WG, ..., so element i belongs to item i % WG in both phases: an item
// reads and writes only its own elements of gw and gb, and item 0 alone writes norm_out. Ragged
// edges: lanes past n sum nothing (0); n = 0 gives norm 0 and no scaling.
// Barriers (OpenCL 1.2, one work-group): CLK_LOCAL_MEM_FENCE after the lane sums are stored in p and
// after each level of the tree, so every item reads the final p[0]; global memory needs no fence,
// since no item reads what another wrote.

#ifndef WG
#define WG 64
#endif
// Lanes of the sum: part of the result's definition (Reference.CLIP_LANES), not a tunable.
#define LANES 64

#pragma OPENCL FP_CONTRACT OFF

#include "common.cl"

inline float clip_value(__global const float* gw, __global const float* gb, const int nw, const int i)
{
    return i < nw ? gw[i] : gb[i - nw];
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void clip_grad_norm(__global float* restrict norm_out,
                    __global float* restrict gw,
                    __global float* restrict gb,
                    const float max_norm,
                    const int nw,
                    const int nb)
{
    __local float p[LANES];
    const int t = get_local_id(0);
    const int n = nw + nb;

#define CLIP_VALUE(i) clip_value(gw, gb, nw, i)
    SUM_SQUARES64(p, n, CLIP_VALUE, WG)

    const float norm = sqrt(p[0]);
    const float coef = max_norm / (norm + 1e-6f);
    if (t == 0) norm_out[0] = norm;
    if (coef >= 1.0f) return;
    for (int i = t; i < n; i += WG) {
        if (i < nw) {
            gw[i] = gw[i] * coef;
        } else {
            gb[i - nw] = gb[i - nw] * coef;
        }
    }
}
