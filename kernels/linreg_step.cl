// linreg_step.cl — one minibatch of d2l's training loop: forward, residual, gradient and update,
// reading the batch's rows of X through the epoch's permutation. The loss and the optimizer are
// compile-time parameters (the chapter's squared loss and sgd by default):
//
//   for t < count:  i_t = idx[start + t]
//                   r_t = loss_factor((dot16(X[i_t], w) + b) - y[i_t])   dl/dy_hat (loss_terms.cl)
//   g_j = sum_t X[i_t][j] * r_t  (j < d),   g_d = sum_t r_t             l.sum().backward()
//   then, for each parameter p_j (w_j, and b as j = d), with div = divisor (d2l's sgd divides by the
//   configured batch size, also for a last, smaller batch; PyTorch's step by 1):
//   -DCLIP=1      norm = sqrt(SUM_SQUARES64 of g_0 .. g_d) (/ count for a mean), coef = max_norm /
//                 (norm + 1e-6f), g_j = g_j * coef unless coef >= 1      clip_grad_norm_ (clip_grad_norm.cl)
//   SGD           p_j = p_j - lr' * g_j / div, lr' = lr (sum) or lr / count (-DMEAN=1)   sgd()
//   -DMOMENTUM=1  g' = g_j / count (-DMEAN=1 only) / div; v_j = first ? g' : fma(mu, v_j, g');
//                 p_j = fma(-lr, v_j, p_j)                               SGD(momentum=mu) (momentum.cl)
//
// -DRUNNING_LOSS=1 also adds the batch's loss, taken before the update, to running[0]:
//   running[0] += (sum_t LOSS_TERM(y_hat_t - y_t)) (/ count for a mean)   the write-up's epoch loss,
//   each item summing its own rows in order, the group's sums then added in local_tree_sum's tree
//   (for a batch over a run in two launches: each group's tree, then the groups in order).
//
// A mean's 1/count goes into the step size for SGD, as the concise API's SGD.step does, so that a
// mean loss with lr and a sum with lr / batch_size run the same operations on the same values; for
// momentum it divides the gradient, so that the velocity holds PyTorch's mean gradients.
//
// Every float operation is fixed, so the result is bitwise equal to Reference.linregStep on any
// device and for any work-group size:
//   dot16(x, w): 16 lanes, lane l = fma(x[j], w[j], lane l) for j = l, l + 16, ... in order, then
//     neighbouring lanes added pairwise (2m + 2m+1, four times over);
//   the batch is summed in runs of RUN = 4096 rows: within a run, g_j = fma(X[i_t][j], r_t, g_j)
//     for t in order (g_d = g_d + r_t); then the runs' sums are added in order. A minibatch of up
//     to 4096 rows is one run; longer batches split into runs that work-groups sum in parallel;
//   every sum starts from -0.0f, the exact identity of +, so a lane or sum that gets no term
//     changes nothing: the first term enters unrounded, as if the sum started with it;
//   every multiply-add is an explicit fma(), and no expression pairs a product with a sum the
//     compiler could fuse, so nothing depends on its contraction;
//   the host builds with -cl-fp32-correctly-rounded-divide-sqrt (IEEE division, as in Java).
//
// Shapes: w: d, b: 1 (both updated in place), v: d + 1 (the velocities of w then b, in place;
// read and written only with -DMOMENTUM=1), running: 1 (-DRUNNING_LOSS=1 only; run_loss: one
// float per run, linreg_grad's to linreg_update), X: n x d row-major, y: n, idx: a permutation of
// 0..n-1; rows idx[start .. start + count) form the batch. d is the compile-time D: loops over a
// row unroll, and a short row costs its few loads and fmas, not a loop.
// Local memory (__local arguments): r: CH floats; g and gt: P = 16 * ceil((D + 1) / 16) floats; and
// in the kernels themselves, 64 floats for the clipping norm's lanes (-DCLIP=1), P for linreg_update.
//
// Barriers (OpenCL 1.2: a barrier orders only the memory its fence names, among one work-group):
//   in run_gradient, CLK_LOCAL_MEM_FENCE between writing the residuals r and reading them, and
//   between the gradient blocks g of one chunk and the next chunk's residuals;
//   in linreg_step_group, CLK_GLOBAL_MEM_FENCE after every item has read b (the bias) and again after
//   every item has read w (the residuals) and before any item writes its w_j or b: without it one
//   item's update races another's read of w; CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE at the end,
//   so the next step (on the epoch kernel) reads the updated w and b and reuses g;
//   in linreg_update (a launch of its own), CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE after every
//   item has read b and stored its totals in g;
//   with -DCLIP=1, SUM_SQUARES64's CLK_LOCAL_MEM_FENCE barriers (common.cl) before any item reads the
//   norm; the norm's lanes are next written in the following step, after its run_gradient barriers.
//   Every item reaches every barrier: the loops around them have bounds uniform across the group.
//
// Tunables: L, CH, and AHEAD, how many rows ahead in the permutation a row is prefetched (0: none;
//   the host asks for 64 on CPUs). Rows are prefetched up to the end of the batch (linreg_step,
//   linreg_grad) or of the permutation (linreg_epoch, so the next step's rows are on their way).
//
// Kernel `linreg_step` — one launch, one work-group: global = local = L (a power of two >= 1).
//   Each run is taken in chunks of CH rows: the items compute the chunk's residuals (rows lid,
//   lid + L, ...), then the gradient's blocks of 16 values (blocks lid, lid + L, ...), each block
//   walking the chunk's rows in order. On a CPU L = 1: the step is one loop on one core, and a
//   chunk of X (about 16 KiB) is read from memory once and from L1 the second time.
// Kernels `linreg_grad` + `linreg_update` — for batches longer than a run, two launches:
//   linreg_grad: global = R * L, local = L, R = ceil(count / RUN): group q sums run q into
//     partial[q * P .. (q + 1) * P);
//   linreg_update: global = local = L: adds the R partials of each value in order, then updates.

#ifndef L
#define L 64
#endif
#ifndef CH
#define CH 64
#endif
// Rows per run: part of the result's definition (Reference.RUN), not a tunable.
#define RUN 4096

#ifndef MEAN
#define MEAN 0
#endif
#ifndef MOMENTUM
#define MOMENTUM 0
#endif
#ifndef CLIP
#define CLIP 0
#endif
#ifndef RUNNING_LOSS
#define RUNNING_LOSS 0
#endif

#include "rows16.cl"
#include "loss_terms.cl"

// Rows in the epoch's shuffled order defeat a CPU's hardware prefetcher, which follows streams:
// where the compiler offers __builtin_prefetch (clang-based compilers, such as PoCL's), the row
// AHEAD places further on in the permutation is fetched while this one is computed. A prefetch
// changes no value, only when the bytes arrive.
#ifndef AHEAD
#define AHEAD 0
#endif
#if AHEAD > 0 && defined(__has_builtin)
#if __has_builtin(__builtin_prefetch)
#define PREFETCH_ROWS 1
#endif
#endif

#ifdef PREFETCH_ROWS
// Asks for row i of X and its label, every cache line of them.
void prefetch_row(__global const float* restrict X, __global const float* restrict y, const int i)
{
    __global const float* x = X + (size_t)i * D;
    for (int j = 0; j < D; j += 16) {
        __builtin_prefetch(x + j);
    }
    __builtin_prefetch(x + D - 1);
    __builtin_prefetch(y + i);
}
#endif

// g = the gradient of rows idx[start .. start + count) (at most one run), summed from -0 in row
// order, by the calling work-group; every item must call it. Rows up to idx[end - 1] may be
// prefetched. Returns the sum of the losses of the rows this item computed (with -DRUNNING_LOSS=1).
float run_gradient(__local float* restrict g, __local float* restrict r,
                  __global const float* restrict w, const float bias,
                  __global const float* restrict X, __global const float* restrict y,
                  __global const int* restrict idx, const int start, const int count, const int end,
                  const float delta)
{
    const int lid = get_local_id(0);
    float mine = 0.0f;
    for (int k = lid; k < BLOCKS; k += L) {
        vstore16((float16)(-0.0f), k, g);
    }
    for (int c0 = 0; c0 < count; c0 += CH) {
        const int rows = min(CH, count - c0);
        for (int t = lid; t < rows; t += L) {
            const int i = idx[start + c0 + t];
#ifdef PREFETCH_ROWS
            if (t + AHEAD < end - start - c0) {
                prefetch_row(X, y, idx[start + c0 + t + AHEAD]);
            }
#endif
            const float res = (dot16(X + (size_t)i * D, w) + bias) - y[i];
            r[t] = loss_factor(res, delta);
#if RUNNING_LOSS
            mine += LOSS_TERM(res, delta);
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int k = lid; k < BLOCKS; k += L) {
            float16 acc = vload16(k, g);
            for (int t = 0; t < rows; t++) {
                const int i = idx[start + c0 + t];
                acc = fma(block16(X + (size_t)i * D, k), (float16)(r[t]), acc);
            }
            vstore16(acc, k, g);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return mine;
}

// With -DRUNNING_LOSS=1: running[0] += the group's sum of the items' `mine` (local_tree_sum in r, L
// floats; every item must call it) / count for a mean. Item 0 alone reads and writes running.
void add_running_loss(__global float* restrict running, __local float* restrict r, const float mine,
                      const int count)
{
#if RUNNING_LOSS
    local_tree_sum(r, mine, L);
    if (get_local_id(0) == 0) running[0] += r[0] / (MEAN ? (float)count : 1.0f);
#endif
}

// The arguments the step kernels share, in the order they take them: the parameters (updated in
// place), the data read through the permutation, and the __local buffers.
#define PARAM_ARGS __global float* restrict w, __global float* restrict b, __global float* restrict v, \
                   __global float* restrict running
#define DATA_ARGS __global const float* restrict X, __global const float* restrict y, \
                  __global const int* restrict idx
#define LOCAL_ARGS __local float* restrict r, __local float* restrict g, __local float* restrict gt

// The optimizer's hyper-parameters, as the kernels take them.
#define UPDATE_ARGS const float lr, const int divisor, const float mu, const int first, const float max_norm
#define UPDATE_PASS lr, divisor, mu, first, max_norm

// The update of the parameters this item owns (w_j, j = lid, lid + L, ..., and b as j = D) from the
// batch's gradient g (count rows), as the header defines it; every item must call it. Returns
// whether one of them is not finite.
bool update_params(__global float* restrict w, __global float* restrict b, __global float* restrict v,
                   __local const float* restrict g, __local float* restrict norm_lanes, const float bias,
                   const int count, UPDATE_ARGS)
{
#if CLIP
#define GRADIENT_AT(i) g[i]
    SUM_SQUARES64(norm_lanes, D + 1, GRADIENT_AT, L)
    const float coef = max_norm / (sqrt(norm_lanes[0]) / (MEAN ? (float)count : 1.0f) + 1e-6f);
#endif
    bool bad = false;
    for (int j = get_local_id(0); j <= D; j += L) {
        float gj = g[j];
#if CLIP
        if (!(coef >= 1.0f)) gj = gj * coef;
#endif
        const float p = j < D ? w[j] : bias;
#if MOMENTUM
        const float gs = gj / (MEAN ? (float)count : 1.0f) / (float)divisor;
        const float vj = first ? gs : fma(mu, v[j], gs);
        v[j] = vj;
        const float q = fma(-lr, vj, p);
#else
        const float q = p - (MEAN ? lr / (float)count : lr) * gj / (float)divisor;
#endif
        if (j < D) w[j] = q;
        else       b[0] = q;
        bad |= !isfinite(q);
    }
    return bad;
}

// One minibatch step by the calling work-group, runs one after another; every item must call it.
// Returns, in every item, whether a parameter this item wrote is not finite.
bool linreg_step_group(PARAM_ARGS, DATA_ARGS, const int start, const int count, const int end,
                       const float delta, UPDATE_ARGS, LOCAL_ARGS, __local float* restrict norm_lanes)
{
    const int lid = get_local_id(0);
    const float bias = b[0];
    barrier(CLK_GLOBAL_MEM_FENCE); // every item has read b before its owner writes it
    __local float* total = g;
    if (count > RUN) {
        total = gt;
        for (int k = lid; k < BLOCKS; k += L) {
            vstore16((float16)(-0.0f), k, gt);
        }
    }
    float mine = 0.0f;
    for (int r0 = 0; r0 == 0 || r0 < count; r0 += RUN) { // an empty batch still zeroes g
        mine += run_gradient(g, r, w, bias, X, y, idx, start + r0, min(RUN, count - r0), end, delta);
        if (count > RUN) {
            for (int k = lid; k < BLOCKS; k += L) {
                vstore16(vload16(k, gt) + vload16(k, g), k, gt);
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }

    add_running_loss(running, r, mine, count);

    // Every item's reads of w (the residuals) happen before any owner writes its w_j: the barriers in
    // run_gradient order local memory only.
    barrier(CLK_GLOBAL_MEM_FENCE);
    const bool bad = update_params(w, b, v, total, norm_lanes, bias, count, UPDATE_PASS);
    barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
    return bad;
}

// The clipping norm's lanes: 64 floats with -DCLIP=1.
#define NORM_LANES __local float norm_lanes[CLIP ? 64 : 1]

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_step(PARAM_ARGS, DATA_ARGS, const int start, const int count, const float delta, UPDATE_ARGS,
                 LOCAL_ARGS)
{
    NORM_LANES;
    linreg_step_group(w, b, v, running, X, y, idx, start, count, start + count, delta, UPDATE_PASS, r, g, gt,
                      norm_lanes);
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_grad(__global float* restrict partial, __global float* restrict run_loss,
                 __global const float* restrict w, __global const float* restrict b, DATA_ARGS,
                 const int start, const int count, const float delta,
                 __local float* restrict r, __local float* restrict g)
{
    const int q = get_group_id(0);
    const int r0 = q * RUN;
    const float mine = run_gradient(g, r, w, b[0], X, y, idx, start + r0, min(RUN, count - r0), start + count,
                                    delta);
    for (int k = get_local_id(0); k < BLOCKS; k += L) {
        vstore16(vload16(k, g), q * BLOCKS + k, partial);
    }
#if RUNNING_LOSS
    local_tree_sum(r, mine, L);
    if (get_local_id(0) == 0) run_loss[q] = r[0];
#endif
}

__kernel __attribute__((reqd_work_group_size(L, 1, 1)))
void linreg_update(PARAM_ARGS,
                   __global const float* restrict partial,
                   __global const float* restrict run_loss,
                   const int runs, const int count, UPDATE_ARGS)
{
    __local float g[16 * BLOCKS];
    NORM_LANES;
    const float bias = b[0];
    for (int j = get_local_id(0); j <= D; j += L) {
        float total = -0.0f;
        for (int q = 0; q < runs; q++) {
            total += partial[q * 16 * BLOCKS + j];
        }
        g[j] = total;
    }
#if RUNNING_LOSS
    if (get_local_id(0) == 0) {
        float sum = 0.0f;
        for (int q = 0; q < runs; q++) {
            sum += run_loss[q];
        }
        running[0] += sum / (MEAN ? (float)count : 1.0f);
    }
#endif
    barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE); // every item has read b and stored its totals
    update_params(w, b, v, g, norm_lanes, bias, count, UPDATE_PASS);
}
