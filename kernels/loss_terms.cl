// loss_terms.cl — the per-example losses and their residual factors, shared by loss.cl and the fused
// kernels (linreg_step.cl, linreg_epoch.cl); the loss is chosen at build time with
// -DLOSS=SQUARED|MSE|L1|HUBER (default SQUARED, the chapter's). With r = y_hat - y:
//
//   LOSS      LOSS_TERM(r, delta), the loss          loss_factor(r, delta) = dl/dy_hat    PyTorch
//   SQUARED   r * r / 2                              r                                    d2l squared_loss
//   MSE       r * r                                  2 * r                                nn.MSELoss
//   L1        |r|                                    sign(r), sign(±0) = ±0               nn.L1Loss
//   HUBER     z < delta ? 0.5 * z * z                r < -delta ? -delta :                nn.HuberLoss(delta)
//               : delta * (z - 0.5 * delta),          r > delta ? delta : r
//               z = |r|
//
// LOSS_TERM is a macro, so that it takes a float or a float16 (the epoch kernel's 16 rows at once);
// for vectors the comparison selects lane by lane, with the same value in each lane as for one float.
// sign and clamp are written as comparisons: OpenCL's sign(NaN) is 0 and its clamp(NaN, ...) a bound,
// while here a NaN residual stays NaN. At r = 0 the L1 factor is 0 (PyTorch's sign(0) = 0); at
// |r| = delta the Huber factor is r, as in PyTorch's backward, and both branches of the Huber loss
// give 0.5 * delta * delta. Contraction is off from here on, so that Huber's z - 0.5 * delta is not
// fused into one rounding: every value is Reference.loss's and Reference.lossResidual's, bit for bit.

#ifndef LOSS_TERMS_CL
#define LOSS_TERMS_CL

#pragma OPENCL FP_CONTRACT OFF

#define SQUARED 0
#define MSE 1
#define L1 2
#define HUBER 3

#ifndef LOSS
#define LOSS SQUARED
#endif

#if LOSS == SQUARED
#define LOSS_TERM(r, delta) ((r) * (r) / 2.0f)
#elif LOSS == MSE
#define LOSS_TERM(r, delta) ((r) * (r))
#elif LOSS == L1
#define LOSS_TERM(r, delta) fabs(r)
#elif LOSS == HUBER
#define LOSS_TERM(r, delta) \
    (fabs(r) < (delta) ? 0.5f * fabs(r) * fabs(r) : (delta) * (fabs(r) - 0.5f * (delta)))
#else
#error "LOSS must be SQUARED, MSE, L1 or HUBER"
#endif

float loss_factor(const float r, const float delta)
{
#if LOSS == SQUARED
    return r;
#elif LOSS == MSE
    return 2.0f * r;
#elif LOSS == L1
    return r > 0.0f ? 1.0f : (r < 0.0f ? -1.0f : r);
#else
    return r < -delta ? -delta : (r > delta ? delta : r);
#endif
}

#endif
