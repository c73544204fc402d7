package org.d2lcl;

import java.util.function.Consumer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.backend.Tensor;

/**
 * Where the kernels run: one OpenCL device (a context and an in-order queue on it), or the
 * pure-Java reference backend. A device owns every buffer made on it and frees them all on
 * {@link #close()}; open it with try-with-resources.
 *
 * <pre>{@code
 * try (Device dev = Device.best()) {
 *     System.out.println("device: " + dev);
 * }
 * }</pre>
 *
 * <p>{@link #backend()} gives the operations, one per kernel, for writing a loop of one's own.
 */
public final class Device implements AutoCloseable {
    private final Backend backend;

    private Device(Backend backend) {
        this.backend = backend;
    }

    /**
     * The device named by the {@value Backends#ENV} environment variable when it is set, else the
     * first GPU, else the first CPU OpenCL device, else the Java reference backend. Falling back to
     * Java for want of OpenCL is said in one line on {@code System.err}, with the command that
     * installs a device; {@link #open(String, Consumer)} sends such notices elsewhere.
     */
    public static Device best() {
        return open(null);
    }

    /**
     * The device {@code spec} names: its index in the {@code d2l-cl devices} list, a substring of
     * its device or platform name (case-insensitive), or {@code java}; null means {@link #best()}.
     * A blank name is refused rather than taken for the default.
     *
     * @throws org.d2lcl.backend.DeviceNotFoundException when {@code spec} matches no device; the
     *     message lists the devices there are
     */
    public static Device open(String spec) {
        return open(spec, System.err::println);
    }

    /**
     * As {@link #open(String)}, with the one-line notices (the fallback to Java, a device without
     * correctly rounded division, a slow kernel build) given to {@code notice} instead of
     * {@code System.err}.
     */
    public static Device open(String spec, Consumer<String> notice) {
        return new Device(Backends.open(spec, notice));
    }

    /** The pure-Java reference backend: the same operations as plain loops, no OpenCL needed. */
    public static Device java() {
        return new Device(new JavaBackend());
    }

    /** A device over a backend opened elsewhere; closing the device closes the backend. */
    public static Device of(Backend backend) {
        return new Device(backend);
    }

    /** What runs the kernels, e.g. {@code NVIDIA H100 (NVIDIA CUDA, OpenCL 3.0)}. */
    public String description() {
        return backend.description();
    }

    /** True on an OpenCL device, false on the Java reference backend. */
    public boolean isOpenCl() {
        return backend instanceof OpenClBackend;
    }

    /**
     * {@code torch.tensor(values).reshape(rows, cols)} on this device, row-major. The device owns it:
     * closing the device frees it, so a tensor made here needs no closing of its own.
     */
    public Tensor tensor(float[] values, int rows, int cols) {
        return backend().tensor(values, rows, cols);
    }

    /** {@code torch.zeros(rows, cols)} on this device, owned by it as {@link #tensor} is. */
    public Tensor zeros(int rows, int cols) {
        return backend().zeros(rows, cols);
    }

    /** The operations on this device, one per kernel (see {@link D2l} for the chapter's names). */
    public Backend backend() {
        return backend;
    }

    /** The same as {@link #description()}. */
    @Override
    public String toString() {
        return description();
    }

    /** Frees every buffer made on the device, then the device's context. */
    @Override
    public void close() {
        backend.close();
    }
}
