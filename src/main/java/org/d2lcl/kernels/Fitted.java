package org.d2lcl.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.DeviceLimitException;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.Program;

/**
 * Kernels of one {@code .cl} file built for a geometry they can launch with on this device. The host
 * proposes a geometry from the device's limits ({@link Tuning}); after the build each kernel is
 * asked what it accepts — {@code CL_KERNEL_WORK_GROUP_SIZE}, and {@code CL_KERNEL_LOCAL_MEM_SIZE}
 * plus the {@code __local} arguments the launch will set against {@code CL_DEVICE_LOCAL_MEM_SIZE} —
 * and where one refuses, the geometry shrinks and the file is built again. On real GPUs a
 * register-heavy kernel often allows fewer work-items than the device maximum.
 *
 * @param <G> the geometry: a local size, a tile edge, or a record of build parameters
 */
final class Fitted<G> implements AutoCloseable {
    private final G geometry;
    private final Map<String, Kernel> kernels;

    private Fitted(G geometry, Map<String, Kernel> kernels) {
        this.geometry = geometry;
        this.kernels = kernels;
    }

    /**
     * What {@link #build} needs to know of a geometry: the build options of {@code kernels/<file>}
     * for it, the work-items per work-group its launches use, the bytes of the {@code __local}
     * arguments they set (0 where there are none), and a smaller geometry to try (null when there
     * is none).
     */
    record Shape<G>(Function<G, String> options, ToLongFunction<G> items, ToLongFunction<G> localArgBytes,
            UnaryOperator<G> shrink) {
    }

    /**
     * The kernels {@code names} of {@code file}, built with the first geometry from {@code start} on
     * (each {@link Shape#shrink} of the last) that every one of them accepts.
     *
     * @throws DeviceLimitException when even the smallest geometry does not fit, naming the kernel
     *     and the limit
     */
    static <G> Fitted<G> build(Context context, String file, G start, Shape<G> shape, String... names) {
        ClDevice device = context.device();
        String refusal = null;
        for (G g = start; g != null; g = shape.shrink().apply(g)) {
            if (shape.items().applyAsLong(g) > device.maxLocalSize()) {
                refusal = String.format(Locale.ROOT, "%d work-items exceed the device's %d (CL_DEVICE_MAX_WORK_GROUP_SIZE,"
                        + " CL_DEVICE_MAX_WORK_ITEM_SIZES)", shape.items().applyAsLong(g), device.maxLocalSize());
                continue;
            }
            Program program = context.program(file, shape.options().apply(g));
            Map<String, Kernel> kernels = new LinkedHashMap<>();
            List<Kernel> made = new ArrayList<>();
            refusal = null;
            try {
                for (String name : names) {
                    Kernel k = program.kernel(name);
                    made.add(k);
                    kernels.put(name, k);
                    refusal = refusal(k, g, shape, device);
                    if (refusal != null) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                made.forEach(Kernel::close);
                throw e;
            }
            if (refusal == null) {
                return new Fitted<>(g, kernels);
            }
            made.forEach(Kernel::close);
        }
        throw new DeviceLimitException("device " + device + " cannot run " + file + ": even its smallest geometry"
                + " does not fit: " + refusal + ". Choose another device (see 'd2l-cl devices') or 'java'");
    }

    private static <G> String refusal(Kernel k, G g, Shape<G> shape, ClDevice device) {
        long items = shape.items().applyAsLong(g);
        if (k.maxWorkGroupSize() < items) {
            return String.format(Locale.ROOT, "kernel %s takes at most %d work-items (CL_KERNEL_WORK_GROUP_SIZE),"
                    + " not %d", k.name(), k.maxWorkGroupSize(), items);
        }
        long local = k.localMemBytes() + shape.localArgBytes().applyAsLong(g);
        if (local > device.localMemBytes()) {
            return String.format(Locale.ROOT, "kernel %s needs %d bytes of local memory (%d of its own,"
                    + " CL_KERNEL_LOCAL_MEM_SIZE, and %d of arguments), over CL_DEVICE_LOCAL_MEM_SIZE = %d",
                    k.name(), local, k.localMemBytes(), shape.localArgBytes().applyAsLong(g), device.localMemBytes());
        }
        return null;
    }

    /** The geometry the kernels were built for. */
    G geometry() {
        return geometry;
    }

    Kernel kernel(String name) {
        Kernel k = kernels.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no kernel " + name + " was built here: " + kernels.keySet());
        }
        return k;
    }

    @Override
    public void close() {
        kernels.values().forEach(Kernel::close);
    }
}
