package org.d2lcl.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/**
 * A device buffer. Reads are blocking (the only points where the host waits); writes from Java
 * arrays are blocking too, since the JVM may move an array once the call returns.
 */
public final class Buffer extends Context.Resource {
    final cl_mem handle;
    private final long bytes;

    Buffer(Context context, long bytes) {
        super(context);
        this.bytes = bytes;
        int[] status = new int[1];
        this.handle = clCreateBuffer(context.handle, CL_MEM_READ_WRITE, bytes, null, status);
        Cl.check(status, "clCreateBuffer(" + bytes + " bytes)", context.device());
        registered();
    }

    public long bytes() {
        return bytes;
    }

    public Context context() {
        return context;
    }

    /**
     * The JOCL handle, for handing the buffer to another OpenCL library on the same context (the
     * benchmarks pass it to CLBlast). This buffer still owns it: do not release it.
     */
    public cl_mem clMem() {
        requireLive();
        return handle;
    }

    /** Copies {@code src[0 .. count)} to the buffer, starting at element {@code offset}. */
    public void write(float[] src, long offset, int count) {
        checkRange(offset, count, Sizeof.cl_float);
        transfer(true, Pointer.to(src), offset * Sizeof.cl_float, (long) count * Sizeof.cl_float);
    }

    public void write(float[] src) {
        write(src, 0, src.length);
    }

    public void write(int[] src) {
        checkRange(0, src.length, Sizeof.cl_int);
        transfer(true, Pointer.to(src), 0, (long) src.length * Sizeof.cl_int);
    }

    /**
     * Copies the first {@code count} bytes of the direct buffer {@code src} into this buffer on the
     * context's {@link Context#transfers() second queue}, and returns when the copy is done: the
     * kernels already enqueued on the main queue run meanwhile. The caller orders the copy against
     * the main queue's commands from the host (it waits for those that read this buffer first).
     */
    public void writeOnTransfers(ByteBuffer src, long count) {
        if (!src.isDirect() || src.capacity() < count) {
            throw new IllegalArgumentException("writeOnTransfers needs a direct ByteBuffer of at least " + count
                    + " bytes");
        }
        requireLive();
        checkRange(0, count, 1);
        Cl.check(clEnqueueWriteBuffer(context.transfers().handle, handle, CL_TRUE, 0, count, Pointer.to(src), 0, null,
                null), "clEnqueueWriteBuffer", context.device());
    }

    /** Copies {@code count} elements starting at element {@code offset} into {@code dst[0 .. count)}. */
    public void read(float[] dst, long offset, int count) {
        checkRange(offset, count, Sizeof.cl_float);
        transfer(false, Pointer.to(dst), offset * Sizeof.cl_float, (long) count * Sizeof.cl_float);
    }

    public void read(float[] dst) {
        read(dst, 0, dst.length);
    }

    public void read(int[] dst) {
        checkRange(0, dst.length, Sizeof.cl_int);
        transfer(false, Pointer.to(dst), 0, (long) dst.length * Sizeof.cl_int);
    }

    /** A blocking copy of {@code bytes} at byte {@code offset} of the buffer, to it or from it; none when 0. */
    private void transfer(boolean toDevice, Pointer host, long offset, long bytes) {
        if (bytes == 0) {
            return;
        }
        cl_command_queue queue = context.queue().handle;
        int status = toDevice ? clEnqueueWriteBuffer(queue, handle, CL_TRUE, offset, bytes, host, 0, null, null)
                : clEnqueueReadBuffer(queue, handle, CL_TRUE, offset, bytes, host, 0, null, null);
        Cl.check(status, toDevice ? "clEnqueueWriteBuffer" : "clEnqueueReadBuffer", context.device());
    }

    /** Enqueues a fill of the first {@code count} floats with {@code value}. */
    public void fill(float value, long count) {
        checkRange(0, count, Sizeof.cl_float);
        if (count == 0) {
            return;
        }
        Cl.check(clEnqueueFillBuffer(context.queue().handle, handle, Pointer.to(new float[] {value}), Sizeof.cl_float,
                0, count * Sizeof.cl_float, 0, null, null), "clEnqueueFillBuffer", context.device());
    }

    /** Enqueues a device-side copy of {@code bytes} bytes from {@code src} into this buffer. */
    public void copyFrom(Buffer src, long bytes) {
        copyFrom(src, 0, bytes);
    }

    /** Enqueues a device-side copy of {@code src}'s first {@code bytes} bytes into this buffer at byte {@code offset}. */
    public void copyFrom(Buffer src, long offset, long bytes) {
        checkRange(offset, bytes, 1);
        src.checkRange(0, bytes, 1);
        if (bytes == 0) {
            return;
        }
        Cl.check(clEnqueueCopyBuffer(context.queue().handle, src.handle, handle, 0, offset, bytes, 0, null, null),
                "clEnqueueCopyBuffer", context.device());
    }

    private void checkRange(long offset, long count, long elementBytes) {
        if (isReleased()) {
            throw new IllegalStateException("buffer of " + bytes + " bytes on " + context.device() + " is closed");
        }
        if (offset < 0 || count < 0 || (offset + count) * elementBytes > bytes) {
            throw new IndexOutOfBoundsException("elements [" + offset + ", " + (offset + count) + ") of "
                    + elementBytes + " bytes do not fit a buffer of " + bytes + " bytes");
        }
    }

    @Override
    int release() {
        return clReleaseMemObject(handle);
    }

    @Override
    String what() {
        return "MemObject";
    }
}
