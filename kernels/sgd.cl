// sgd.cl — minibatch stochastic gradient descent, in place, as d2l's sgd():
//
//   p[i] -= lr * g[i] / batch_size;   g[i] = 0
//
// The gradient is zeroed after use, like d2l's param.grad.zero_(). (loss_grad overwrites it
// anyway; zeroing keeps the kernel the chapter's function and makes a missed gradient visible.)
// Shapes: p, g: n floats. Geometry: global = roundUp(n, WG), any local size.
// Contraction is off and the host builds with -cl-fp32-correctly-rounded-divide-sqrt, so every
// p[i] is bitwise equal to Java's  p[i] - lr * g[i] / batchSize  in float.

#pragma OPENCL FP_CONTRACT OFF

__kernel void sgd(__global float* restrict p,
                  __global float* restrict g,
                  const float lr,
                  const int batch_size,
                  const int n)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    p[i] = p[i] - lr * g[i] / (float)batch_size;
    g[i] = 0.0f;
}
