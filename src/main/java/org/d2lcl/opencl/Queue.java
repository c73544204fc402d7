package org.d2lcl.opencl;

import static org.jocl.CL.*;

import org.jocl.cl_command_queue;

/**
 * The in-order command queue of a {@link Context}: commands run in the order they are enqueued, so
 * the host never waits between kernels and synchronises only when it reads a result.
 */
public final class Queue {
    private final Context context;
    final cl_command_queue handle;

    @SuppressWarnings("deprecation")
    Queue(Context context) {
        this.context = context;
        int[] status = new int[1];
        // clCreateCommandQueue is the OpenCL 1.2 call; every driver still exports it.
        this.handle = clCreateCommandQueue(context.handle, context.device().id, 0, status);
        Cl.check(status, "clCreateCommandQueue", context.device());
    }

    /**
     * The JOCL handle, for enqueueing another OpenCL library's work in order with this queue's (the
     * benchmarks pass it to CLBlast). The context still owns it: do not release it.
     */
    public cl_command_queue clCommandQueue() {
        return handle;
    }

    /** Submits queued commands to the device without waiting. */
    public void flush() {
        Cl.check(clFlush(handle), "clFlush", context.device());
    }

    /** Blocks until every command queued so far has finished. */
    public void finish() {
        Cl.check(clFinish(handle), "clFinish", context.device());
    }

    void release() {
        Cl.check(clReleaseCommandQueue(handle), "clReleaseCommandQueue", context.device());
    }
}
