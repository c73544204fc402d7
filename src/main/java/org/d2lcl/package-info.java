/**
 * The public API: d2l's "Linear Regression Implementation from Scratch", every step an OpenCL
 * kernel.
 *
 * <p>Start with {@link org.d2lcl.Device} (where the kernels run) and
 * {@link org.d2lcl.LinearRegression} (the model, trained epoch by epoch):
 *
 * <pre>{@code
 * Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
 * try (Device dev = Device.best(); LinearRegression net = LinearRegression.on(dev, data)) {
 *     for (int epoch = 1; epoch <= 3; epoch++) {
 *         System.out.printf("epoch %d, loss %f%n", epoch, net.epoch());
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The chapter by its own names: {@link org.d2lcl.D2l} ({@code syntheticData}, {@code linreg},
 *       {@code squaredLoss}, {@code sgd}), {@link org.d2lcl.DataIter}, {@link org.d2lcl.Trainer}
 *       (the training loop) and {@link org.d2lcl.TrainConfig}.
 *   <li>Data: {@link org.d2lcl.data} ({@code Dataset}, CSV files with the label chosen
 *       by name, a held-out split, standardization, files written whole).
 *   <li>Results: {@link org.d2lcl.LinearModel} (weights, bias and standardization, saved as JSON,
 *       predicting on a device) and {@link org.d2lcl.HeldOutLoss}.
 * </ul>
 *
 * <p>Public packages: this one, {@link org.d2lcl.data} and {@link org.d2lcl.backend} (the operations, one per kernel, for
 * writing a loop of one's own). {@code org.d2lcl.kernels}, {@code org.d2lcl.opencl} and
 * {@code org.d2lcl.cli} are internal: public for the library's own packages, tests and benchmarks,
 * with no promise of compatibility between releases.
 *
 * <p>Objects that hold device memory ({@code Device}, {@code LinearRegression}, {@code Trainer},
 * {@code HeldOutLoss}) are {@link java.lang.AutoCloseable}: open them with try-with-resources. Each
 * is used by one thread at a time.
 */
package org.d2lcl;
