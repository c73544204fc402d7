package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;

/**
 * Host side of {@code kernels/philox.cl}: uniform and normal floats, the online variant's batches
 * ({@code x ~ U(xLo, xHi)}, {@code y = w x + b + noiseStd N(0, 1)}) and the chapter's synthetic data
 * ({@code X ~ N(0, 1)}, {@code y = X w + b + N(0, 0.01^2)}), drawn on the device
 * from Philox4x32-10 keyed by a 64-bit seed. Every element equals
 * {@link org.d2lcl.backend.Reference}'s method of the same name bit for bit, on any device and
 * work-group size.
 */
public final class PhiloxKernel implements AutoCloseable {
    private final Fitted<Integer> fitted;
    private final Elementwise uniform;
    private final Elementwise normal;
    private final Elementwise online;
    private final Elementwise features;
    private final Elementwise labels;

    /** The five kernels, built once for a work-group of up to 256 items that all of them accept. */
    public PhiloxKernel(Context context) {
        this.fitted = Fitted.build(context, "philox.cl", Tuning.workGroup(context.device(), 256),
                Tuning.local(Tuning.baseOptions(context.device())), "philox_uniform", "philox_normal", "online_batch",
                "synthetic_features", "synthetic_labels");
        this.uniform = new Elementwise(fitted.kernel("philox_uniform"), fitted.geometry());
        this.normal = new Elementwise(fitted.kernel("philox_normal"), fitted.geometry());
        this.online = new Elementwise(fitted.kernel("online_batch"), fitted.geometry());
        this.features = new Elementwise(fitted.kernel("synthetic_features"), fitted.geometry());
        this.labels = new Elementwise(fitted.kernel("synthetic_labels"), fitted.geometry());
    }

    /** {@code out[i]} uniform in [lo, hi] for {@code i < n}, from stream {@code stream} of {@code seed}. */
    public void philoxUniform(Buffer out, int n, long seed, int stream, float lo, float hi) {
        uniform.kernel().arg(0, out).arg(1, n).arg(2, (int) seed).arg(3, (int) (seed >>> 32)).arg(4, stream)
                .arg(5, lo).arg(6, hi);
        uniform.launch(n);
    }

    /** {@code out[i]} normal with mean {@code mean} and standard deviation {@code std}, for {@code i < n}. */
    public void philoxNormal(Buffer out, int n, long seed, int stream, float mean, float std) {
        normal.kernel().arg(0, out).arg(1, n).arg(2, (int) seed).arg(3, (int) (seed >>> 32)).arg(4, stream)
                .arg(5, mean).arg(6, std);
        normal.launch(n);
    }

    /**
     * Online batch {@code step}: {@code x[i]} uniform in [xLo, xHi] and
     * {@code y[i] = w x[i] + b + noiseStd z_i} (fixed fma order, see the kernel), for {@code i < n}.
     */
    public void onlineBatch(Buffer x, Buffer y, int n, long seed, int step, float w, float b, float noiseStd,
            float xLo, float xHi) {
        online.kernel().arg(0, x).arg(1, y).arg(2, n).arg(3, (int) seed).arg(4, (int) (seed >>> 32)).arg(5, step)
                .arg(6, w).arg(7, b).arg(8, noiseStd).arg(9, xLo).arg(10, xHi);
        online.launch(n);
    }

    /**
     * d2l's {@code synthetic_data(w, b, n)} into {@code x} ({@code n x d}, row-major) and {@code y}
     * ({@code n}): {@code X ~ N(0, 1)}, {@code y = X w + b + 0.01 N(0, 1)} (fixed fma order, see the
     * kernel), {@code w} the {@code d} true weights on the device; {@code n * d} below 2^31.
     */
    public void syntheticData(Buffer x, Buffer y, Buffer w, int n, int d, float b, long seed) {
        features.kernel().arg(0, x).arg(1, n * d).arg(2, (int) seed).arg(3, (int) (seed >>> 32));
        features.launch((n * d + 15) / 16); // 16 elements per work-item
        labels.kernel().arg(0, y).arg(1, x).arg(2, w).arg(3, n).arg(4, d).arg(5, b).arg(6, (int) seed)
                .arg(7, (int) (seed >>> 32));
        labels.launch(n);
    }

    @Override
    public void close() {
        fitted.close();
    }
}
