/**
 * Public: the chapter's concise version ("Concise Implementation of Linear Regression") by
 * PyTorch's names. {@link org.d2lcl.nn.Linear} is {@code nn.Linear(d, 1)} with its
 * {@link org.d2lcl.nn.Parameter}s; {@link org.d2lcl.nn.MSELoss}, {@link org.d2lcl.nn.L1Loss} and
 * {@link org.d2lcl.nn.HuberLoss} are the losses, whose {@code backward} is the analytic gradient
 * kernel; {@link org.d2lcl.nn.SGD} is {@code torch.optim.SGD}, with or without momentum, and
 * {@link org.d2lcl.nn.Utils#clipGradNorm} is {@code clip_grad_norm_}; {@link org.d2lcl.nn.DataLoader} is
 * {@code data.DataLoader} over the device's features and labels. Every operation is one
 * {@link org.d2lcl.backend.Backend} operation, so the same loop runs on OpenCL and on the Java backend.
 */
package org.d2lcl.nn;
