// linreg_sweep.cl — many independent training runs, one epoch each, in one launch: work-group q runs
// linreg_epoch.cl's epoch (linreg_epoch_group, the same operations in the same order) for the run
// plan[q] names, on that run's data, permutation, parameters and hyper-parameters.
//
//   for each group q < Q (the launch's runs; a run that has finished is simply not in the plan):
//     k = plan[q].run
//     w[k*D .. k*D + D), b[k]       the run's parameters, updated in place
//     v[k*(D+1) .. (k+1)*(D+1))     its velocities (-DMOMENTUM=1 only)
//     running[k]                    its running loss (-DRUNNING_LOSS=1 only)
//     loss[k], status[k]            its epoch loss and divergence flag (linreg_epoch.cl)
//     rows X[row .. row + n), y[row .. row + n)   its data (runs on the same data share the rows)
//     idx[start .. start + n)       its permutation of 0 .. n-1 (runs with one shuffle share it)
//
// The steps are sequential within a run and independent between runs, so one work-group per run
// fills a device with as many compute units as there are runs; every run's values are bitwise
// those of linreg_epoch.cl with the same L (the loss's sum order depends on L), hence of the run
// trained alone. The host builds this file with the epoch kernel's own geometry.
//
// plan: PLAN ints per group: the run k, n, the batch size, the divisor (the batch size for d2l's
//   sgd, 1 for PyTorch's), first (1 on the run's first epoch), row, start.
// rates: RATES floats per group: lr, mu, max_norm, delta (the numbers of linreg_step.cl's rule).
// The build options (-DLOSS -DMEAN -DMOMENTUM -DCLIP -DRUNNING_LOSS) are one per launch: runs of
// different losses or optimizers go in separate launches.
//
// Shapes: w: runs x D, b, loss, running: runs, v: runs x (D + 1), status: runs ints; X: rows x D
// row-major and y: rows, every run's data one after another; idx: the runs' permutations one after
// another. Offsets are in size_t: X may exceed 2^31 floats.
// Local memory and barriers: linreg_epoch.cl's, per work-group.
// Geometry: global = Q * L, local = L.

#include "linreg_epoch.cl"

#define PLAN 7
#define RATES 4

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_sweep(PARAM_ARGS, __global float* restrict loss, __global int* restrict status, DATA_ARGS,
                  __global const int* restrict plan, __global const float* restrict rates, LOCAL_ARGS)
{
    __local int first_bad;
    NORM_LANES;
    __global const int* p = plan + (size_t)get_group_id(0) * PLAN;
    __global const float* q = rates + (size_t)get_group_id(0) * RATES;
    const size_t k = p[0];
    const int n = p[1];
    const size_t row = p[5];
    // Without momentum or a running loss, v and running are a placeholder of one float, never read:
    // no offset is taken into them.
    linreg_epoch_group(w + k * D, b + k, MOMENTUM ? v + k * (D + 1) : v, RUNNING_LOSS ? running + k : running,
                       loss + k, status + k, X + row * D, y + row, idx + p[6], n, p[2], q[3],
                       q[0], p[3], q[1], p[4], q[2], r, g, gt, norm_lanes, &first_bad);
}
