package org.d2lcl.opencl;

import static org.jocl.CL.*;

import org.jocl.cl_event;

/**
 * An OpenCL event: the point at which an enqueued command, or a marker, completes. Commands on
 * another queue wait for it through their wait lists; the host waits with {@link #await()}.
 */
public final class Event extends Context.Resource {
    final cl_event handle;

    Event(Context context, cl_event handle) {
        super(context);
        this.handle = handle;
        registered();
    }

    /** Blocks until the command has completed. */
    public void await() {
        requireLive();
        Cl.check(clWaitForEvents(1, new cl_event[] {handle}), "clWaitForEvents", context.device());
    }

    @Override
    int release() {
        return clReleaseEvent(handle);
    }

    @Override
    String what() {
        return "Event";
    }
}
