package org.d2lcl.kernels;

import java.util.EnumMap;
import java.util.Map;
import org.d2lcl.Loss;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/**
 * Host side of {@code kernels/loss.cl}: the per-example loss {@code l} and its residual factor
 * {@code r = dl/dy_hat} for each {@link Loss}, the file built once per loss ({@code -DLOSS=<name>}),
 * on first use. The mean or sum over the examples is {@link ReduceKernel}'s sum (divided by n on
 * the host for the mean); the weight gradient is {@link LossGradKernel#residualGrad} of {@code r}.
 */
public final class LossKernel implements AutoCloseable {
    private record Built(Elementwise loss, Elementwise residual) {
        void close() {
            loss.close();
            residual.close();
        }
    }

    private final Context context;
    private final Map<Loss, Built> byLoss = new EnumMap<>(Loss.class);

    public LossKernel(Context context) {
        this.context = context;
    }

    /**
     * {@code l[i]} = the loss {@code kind} of {@code yHat[i] - y[i]}, for {@code i < n};
     * {@code delta} is Huber's threshold (ignored by the other losses).
     */
    public void loss(Loss kind, Buffer l, Buffer yHat, Buffer y, int n, float delta) {
        Elementwise k = built(kind).loss;
        k.kernel().arg(0, l).arg(1, yHat).arg(2, y).arg(3, n).arg(4, delta);
        k.launch(n);
    }

    /** {@code r[i] = dl[i]/dyHat[i]} for the loss {@code kind}, for {@code i < n}. */
    public void lossResidual(Loss kind, Buffer r, Buffer yHat, Buffer y, int n, float delta) {
        Elementwise k = built(kind).residual;
        k.kernel().arg(0, r).arg(1, yHat).arg(2, y).arg(3, n).arg(4, delta);
        k.launch(n);
    }

    private Built built(Loss kind) {
        return byLoss.computeIfAbsent(kind, k -> {
            String options = "-DLOSS=" + k.name();
            return new Built(Elementwise.build(context, "loss.cl", "loss", options),
                    Elementwise.build(context, "loss.cl", "loss_residual", options));
        });
    }

    @Override
    public void close() {
        byLoss.values().forEach(Built::close);
        byLoss.clear();
    }
}
