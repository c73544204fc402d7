package org.d2lcl.opencl;

import static org.jocl.CL.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/** A program compiled for the context's device. Owned by its {@link Context}. */
public final class Program extends Context.Resource {
    /** How long a build may run before the context's slow-build notice goes out. */
    public static final Duration SLOW_BUILD = Duration.ofSeconds(1);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "d2l-cl slow-build notice");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern FEATURES = Pattern.compile("-DD=(\\d+)");

    final cl_program handle;
    private final String name;
    private final String options;
    private final boolean fromCache;

    /**
     * Builds {@code source}: from the binary the context's {@link ProgramCache} holds for it where
     * there is one that loads and builds, else from the source, whose binary the cache then keeps.
     */
    Program(Context context, String name, String source, String options) {
        super(context);
        this.name = name;
        this.options = options;
        ProgramCache.Slot cached = context.programCache().slot(context.device(), source, options);
        cl_program binary = fromBinary(context, ProgramCache.read(cached), options);
        this.fromCache = binary != null;
        this.handle = binary != null ? binary : fromSource(context, name, source, options);
        if (binary == null) {
            ProgramCache.write(cached, binary(handle));
        }
        registered();
    }

    private static cl_program fromSource(Context context, String name, String source, String options) {
        ClDevice device = context.device();
        int[] status = new int[1];
        cl_program program = clCreateProgramWithSource(context.handle, 1, new String[] {source}, null, status);
        Cl.check(status, "clCreateProgramWithSource(" + name + ")", device);
        ScheduledFuture<?> notice = TIMER.schedule(() -> context.slowBuild(slowNotice(name, options)),
                context.slowBuildAfter().toNanos(), TimeUnit.NANOSECONDS);
        int built;
        try {
            built = clBuildProgram(program, 1, new cl_device_id[] {device.id}, options, null, null);
        } finally {
            notice.cancel(false);
        }
        if (built != CL_SUCCESS) {
            String log = buildLog(program, device);
            clReleaseProgram(program);
            throw new BuildException(name, built, device.toString(), options, log);
        }
        return program;
    }

    /** The program built from {@code binary}, or null where there is none or the device refuses it. */
    private static cl_program fromBinary(Context context, byte[] binary, String options) {
        if (binary == null) {
            return null;
        }
        cl_device_id device = context.device().id;
        int[] loaded = new int[1];
        int[] status = new int[1];
        cl_program program = clCreateProgramWithBinary(context.handle, 1, new cl_device_id[] {device},
                new long[] {binary.length}, new byte[][] {binary}, loaded, status);
        if (status[0] != CL_SUCCESS || loaded[0] != CL_SUCCESS) {
            if (program != null && status[0] == CL_SUCCESS) {
                clReleaseProgram(program);
            }
            return null;
        }
        if (clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null) != CL_SUCCESS) {
            clReleaseProgram(program);
            return null;
        }
        return program;
    }

    /** The device's binary of a built program ({@code CL_PROGRAM_BINARIES}); null where it gives none. */
    private static byte[] binary(cl_program program) {
        long[] size = new long[1];
        if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null) != CL_SUCCESS
                || size[0] <= 0 || size[0] > ProgramCache.MAX_BYTES) {
            return null;
        }
        byte[] binary = new byte[(int) size[0]];
        Pointer to = Pointer.to(binary);
        if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(to), null) != CL_SUCCESS) {
            return null;
        }
        return binary;
    }

    /** Whether this program was built from a binary of the {@link ProgramCache}. */
    boolean fromCache() {
        return fromCache;
    }

    /** {@code d2l-cl: compiling kernels for d = 4096 (first use; cached afterwards)}, or the file's name. */
    static String slowNotice(String name, String options) {
        Matcher d = FEATURES.matcher(options);
        return "d2l-cl: compiling " + (d.find() ? "kernels for d = " + d.group(1) : name)
                + " (first use; cached afterwards)";
    }

    /** The file (or source name) this program was built from. */
    public String name() {
        return name;
    }

    public String options() {
        return options;
    }

    /** A new kernel object for the {@code __kernel} function {@code function}; the caller closes it. */
    public Kernel kernel(String function) {
        requireLive();
        return new Kernel(this, function);
    }

    /** The compiler's log for this program on the context's device ({@code CL_PROGRAM_BUILD_LOG}). */
    String buildLog() {
        return buildLog(handle, context.device());
    }

    private static String buildLog(cl_program handle, ClDevice on) {
        cl_device_id device = on.id;
        long[] size = new long[1];
        if (clGetProgramBuildInfo(handle, device, CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log)";
        }
        byte[] log = new byte[(int) size[0]];
        if (clGetProgramBuildInfo(handle, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null)
                != CL_SUCCESS) {
            return "(no build log)";
        }
        int end = log.length;
        while (end > 0 && log[end - 1] == 0) {
            end--;
        }
        return new String(log, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    int release() {
        return clReleaseProgram(handle);
    }

    @Override
    String what() {
        return "Program(" + name + ")";
    }
}
