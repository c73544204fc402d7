package org.d2lcl.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/**
 * One {@code __kernel} function with its arguments. Arguments are set by index, in the order the
 * {@code .cl} signature declares them; {@link #launch} enqueues on the context's in-order queue
 * and returns at once.
 */
public final class Kernel extends Context.Resource {
    final cl_kernel handle;
    private final String name;

    Kernel(Program program, String name) {
        super(program.context);
        this.name = name;
        int[] status = new int[1];
        this.handle = clCreateKernel(program.handle, name, status);
        if (status[0] != CL_SUCCESS) {
            String hint = status[0] == CL_INVALID_KERNEL_NAME
                    ? "\nthe program built, but has no __kernel function '" + name + "' that the compiler could"
                            + " create: a misspelt name, or a kernel its compiler dropped or failed to lower (see"
                            + " the log)"
                    : "";
            throw new BuildException("clCreateKernel(" + name + " in " + program.name() + ")", status[0],
                    context.device().toString(), program.options(), program.buildLog(), hint);
        }
        registered();
    }

    public String name() {
        return name;
    }

    public Kernel arg(int index, Buffer buffer) {
        buffer.requireLive();
        set(index, Sizeof.cl_mem, Pointer.to(buffer.handle));
        return this;
    }

    /** A {@code NULL} global pointer (an absent optional input). */
    public Kernel argNull(int index) {
        set(index, Sizeof.cl_mem, null);
        return this;
    }

    public Kernel arg(int index, int value) {
        set(index, Sizeof.cl_int, Pointer.to(new int[] {value}));
        return this;
    }

    public Kernel arg(int index, float value) {
        set(index, Sizeof.cl_float, Pointer.to(new float[] {value}));
        return this;
    }

    /** A {@code __local} argument of {@code bytes} bytes. */
    public Kernel argLocal(int index, long bytes) {
        set(index, bytes, null);
        return this;
    }

    private void set(int index, long size, Pointer value) {
        requireLive();
        int status = clSetKernelArg(handle, index, size, value);
        if (status != CL_SUCCESS) { // the message is made only for a failure: this runs for every argument
            Cl.check(status, "clSetKernelArg(" + name + ", " + index + ")", context.device());
        }
    }

    /** {@code CL_KERNEL_WORK_GROUP_SIZE}: the largest work-group this kernel can launch with. */
    public long maxWorkGroupSize() {
        return workGroupInfo(CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t);
    }

    /**
     * {@code CL_KERNEL_LOCAL_MEM_SIZE}: the local memory this kernel takes before any {@code __local}
     * argument is set (its {@code __local} variables and what the implementation needs).
     */
    public long localMemBytes() {
        return workGroupInfo(CL_KERNEL_LOCAL_MEM_SIZE, Sizeof.cl_ulong);
    }

    /** One {@code clGetKernelWorkGroupInfo} value on this context's device, {@code bytes} (at most 8) wide. */
    private long workGroupInfo(int param, int bytes) {
        requireLive();
        long[] value = new long[1];
        Cl.check(clGetKernelWorkGroupInfo(handle, context.device().id, param, bytes, Pointer.to(value), null),
                "clGetKernelWorkGroupInfo(" + name + ")", context.device());
        return value[0];
    }

    /** Enqueues a 1-D launch; {@code global} must be a multiple of {@code local}. */
    public void launch(long global, long local) {
        launch(new long[] {global}, new long[] {local});
    }

    /**
     * Enqueues an N-D launch; {@code local} may be null to let the driver choose. A launch with no
     * work-items (a global size of 0, from an empty tensor) does nothing: OpenCL 1.2 devices would
     * reject it with {@code CL_INVALID_GLOBAL_WORK_SIZE}, where 2.1 and later accept it as a no-op.
     */
    public void launch(long[] global, long[] local) {
        requireLive();
        for (long g : global) {
            if (g == 0) {
                return;
            }
        }
        int status = clEnqueueNDRangeKernel(context.queue().handle, handle, global.length, null, global, local, 0, null,
                null);
        if (status != CL_SUCCESS) {
            Cl.check(status, "clEnqueueNDRangeKernel(" + name + ")", context.device());
        }
    }

    /** {@code ceil(n / multiple) * multiple}: a global size covering {@code n} items. */
    public static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    @Override
    int release() {
        return clReleaseKernel(handle);
    }

    @Override
    String what() {
        return "Kernel(" + name + ")";
    }

}
