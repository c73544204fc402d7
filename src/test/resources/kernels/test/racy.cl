// racy.cl — a kernel with a deliberate data race, for StrictDeviceTest: every work-item writes its
// id to out[0] and reads out[0] back with no barrier between, so the strict device must report it.
// It exists only to show that the strict tier can fail.

__kernel void racy(__global int* out)
{
    out[0] = get_local_id(0);
    out[1 + get_global_id(0)] = out[0];
}
