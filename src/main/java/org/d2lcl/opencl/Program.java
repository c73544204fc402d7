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

    Program(Context context, String name, String source, String options) {
        super(context);
        this.name = name;
        this.options = options;
        ClDevice device = context.device();
        int[] status = new int[1];
        this.handle = clCreateProgramWithSource(context.handle, 1, new String[] {source}, null, status);
        Cl.check(status, "clCreateProgramWithSource(" + name + ")", device);
        ScheduledFuture<?> notice = TIMER.schedule(() -> context.slowBuild(slowNotice(name, options)),
                context.slowBuildAfter().toNanos(), TimeUnit.NANOSECONDS);
        int built;
        try {
            built = clBuildProgram(handle, 1, new cl_device_id[] {device.id}, options, null, null);
        } finally {
            notice.cancel(false);
        }
        if (built != CL_SUCCESS) {
            String log = buildLog();
            clReleaseProgram(handle);
            throw new BuildException(name, built, device.toString(), options, log);
        }
        registered();
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
        cl_device_id device = context.device().id;
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
