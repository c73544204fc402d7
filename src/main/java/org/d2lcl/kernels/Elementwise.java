package org.d2lcl.kernels;

import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;

/**
 * A kernel of one work-item per element, in work-groups of up to 256 items, as many as the device
 * and the built kernel take ({@link Fitted}); the global size is rounded up to whole groups, and
 * the kernel guards its ragged end ({@code if (i >= n) return;}).
 */
record Elementwise(Kernel kernel, int wg) implements AutoCloseable {
    static Elementwise build(Context context, String file, String name) {
        return build(context, file, name, "");
    }

    /** The same with {@code options} (such as {@code -DLOSS=MSE}) after the base build options. */
    static Elementwise build(Context context, String file, String name, String options) {
        String all = options.isEmpty() ? Tuning.baseOptions(context.device())
                : Tuning.baseOptions(context.device()) + " " + options;
        Fitted<Integer> fitted = Fitted.build(context, file, Tuning.workGroup(context.device(), 256),
                Tuning.local(all), name);
        return new Elementwise(fitted.kernel(name), fitted.geometry());
    }

    /** Enqueues the kernel over {@code n} elements, its arguments already set. */
    void launch(long n) {
        kernel.launch(Kernel.roundUp(n, wg), wg);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
