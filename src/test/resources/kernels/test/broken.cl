// broken.cl — a kernel that deliberately does not compile. DeviceFaultTest loads it through the
// same loader as kernels/*.cl and checks that the compiler's log reaches the caller.

__kernel void broken(__global float* out)
{
    out[get_global_id(0)] = undeclared_value;
}
