// momentum.cl — SGD with momentum, in place, as torch.optim.SGD(params, lr, momentum=mu) with
// dampening 0 and no Nesterov:
//
//   g'   = g[i] / batch_size                       d2l's divisor; batch_size = 1 divides by 1, exactly
//   v[i] = first ? g' : fma(mu, v[i], g')          PyTorch's buf = grad on the first step, then
//                                                  buf = mu * buf + grad
//   p[i] = fma(-lr, v[i], p[i])                    p - lr * v, rounded once
//   g[i] = 0                                       as sgd.cl: param.grad.zero_()
//
// Division: the same as sgd.cl's. With batch_size = the configured batch size the step is d2l's
// (the loss is a sum over the batch); with batch_size = 1 it is PyTorch's for a mean loss, and the
// division is exact (IEEE x / 1 = x; the host builds with -cl-fp32-correctly-rounded-divide-sqrt).
// Rounding: every product that meets a sum is an explicit fma() (and contraction is off), so no
// result depends on the compiler's contraction; Reference.momentum makes the same Math.fma calls and
// gives the same bits. (With mu = 0 this is one rounding per update, where sgd.cl rounds the
// product and the difference separately.)
// Shapes: p, v, g: n floats. Geometry: global = roundUp(n, WG), any local size; items i >= n return.
// Each item touches only element i of each buffer: no item reads another's writes, no barrier.

#pragma OPENCL FP_CONTRACT OFF

__kernel void momentum(__global float* restrict p, __global float* restrict v, __global float* restrict g,
                       const float lr, const float mu, const int batch_size, const int first, const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float gs = g[i] / (float)batch_size;
    const float vi = first ? gs : fma(mu, v[i], gs);
    v[i] = vi;
    p[i] = fma(-lr, vi, p[i]);
    g[i] = 0.0f;
}
