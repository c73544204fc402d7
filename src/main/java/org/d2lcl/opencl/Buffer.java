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

    private ByteBuffer mapped; // a staging buffer's host view while it is mapped, else null

    Buffer(Context context, long bytes) {
        this(context, bytes, CL_MEM_READ_WRITE);
    }

    Buffer(Context context, long bytes, long flags) {
        super(context);
        this.bytes = bytes;
        int[] status = new int[1];
        this.handle = clCreateBuffer(context.handle, flags, bytes, null, status);
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
     * Enqueues a copy from a direct buffer and returns at once. The caller keeps {@code src}
     * unchanged until a later blocking call on the queue (a read, {@link Queue#finish}) returns.
     */
    public void writeAsync(ByteBuffer src) {
        if (!src.isDirect()) {
            throw new IllegalArgumentException("writeAsync needs a direct ByteBuffer");
        }
        checkRange(0, src.remaining(), 1);
        Cl.check(clEnqueueWriteBuffer(context.queue().handle, handle, CL_FALSE, 0, src.remaining(), Pointer.to(src),
                0, null, null), "clEnqueueWriteBuffer", context.device());
    }

    /**
     * A staging buffer's host view ({@link Context#staging}): maps it for writing, on the context's
     * {@link Context#transfers() second queue}, so the call waits for that queue's earlier commands,
     * the copy out of it among them. The view stays valid until {@link #copyTo}.
     */
    public ByteBuffer map() {
        requireLive();
        if (mapped == null) {
            int[] status = new int[1];
            mapped = clEnqueueMapBuffer(context.transfers().handle, handle, CL_TRUE, CL_MAP_WRITE, 0, bytes, 0, null,
                    null, status);
            Cl.check(status, "clEnqueueMapBuffer", context.device());
            mapped.order(java.nio.ByteOrder.nativeOrder());
        }
        return mapped;
    }

    /** Unmaps a mapped staging buffer and waits until it is unmapped; nothing when it is not mapped. */
    public void unmap() {
        if (mapped != null && !isReleased()) {
            Cl.check(clEnqueueUnmapMemObject(context.transfers().handle, handle, mapped, 0, null, null),
                    "clEnqueueUnmapMemObject", context.device());
            mapped = null;
            context.transfers().finish();
        }
    }

    /**
     * Enqueues, on the second queue, the unmapping of this staging buffer and a copy of its first
     * {@code count} bytes into {@code dst}, and returns the copy's event at once. The caller orders
     * the copy against the main queue's commands from the host: it waits for their event before
     * (when they read {@code dst}) and for this one before enqueueing what reads the copy, so no
     * command waits on another queue's event (which Oclgrind 21.10 does not always survive).
     * Nothing crosses the JNI boundary but handles: no host array is held for the copy.
     */
    public Event copyTo(Buffer dst, long count) {
        map();
        dst.checkRange(0, count, 1);
        checkRange(0, count, 1);
        cl_command_queue transfers = context.transfers().handle;
        Cl.check(clEnqueueUnmapMemObject(transfers, handle, mapped, 0, null, null), "clEnqueueUnmapMemObject",
                context.device());
        mapped = null;
        org.jocl.cl_event copied = new org.jocl.cl_event();
        Cl.check(clEnqueueCopyBuffer(transfers, handle, dst.handle, 0, 0, count, 0, null, copied),
                "clEnqueueCopyBuffer", context.device());
        Event event = new Event(context, copied);
        Cl.check(clFlush(transfers), "clFlush", context.device());
        return event;
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
