package org.d2lcl.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;

/**
 * An OpenCL context on one device with its in-order {@link Queue}. Programs are built once per
 * context and cached by file and options. Closing the context releases, in reverse order of
 * creation, every buffer, kernel and program made from it that is still open, then the queue and
 * the context itself.
 */
public final class Context implements AutoCloseable {
    private final ClDevice device;
    final cl_context handle;
    private final Queue queue;
    private Queue transfers; // a second queue, for copies that overlap the kernels; made on first use
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private final Set<Resource> resources = new LinkedHashSet<>();
    private volatile Consumer<String> slowBuild = notice -> { };
    private volatile java.time.Duration slowBuildAfter = Program.SLOW_BUILD;
    private volatile ProgramCache programCache = ProgramCache.standard();
    private final Set<String> noticed = new java.util.HashSet<>();
    private boolean closed;

    private Context(ClDevice device) {
        this.device = device;
        int[] status = new int[1];
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform);
        this.handle = clCreateContext(properties, 1, new cl_device_id[] {device.id}, null, null, status);
        Cl.check(status, "clCreateContext", device);
        try {
            this.queue = new Queue(this);
        } catch (RuntimeException e) {
            clReleaseContext(handle);
            throw e;
        }
    }

    /**
     * Where a one-line notice goes when a program's build has taken {@link Program#SLOW_BUILD} and
     * is not done: the kernels specialised for many features can take the driver many seconds the
     * first time (a driver's cache makes later builds fast), and a silent wait looks like a hang.
     */
    public void onSlowBuild(Consumer<String> notice) {
        onSlowBuild(notice, Program.SLOW_BUILD);
    }

    /** The same, after {@code after} instead of {@link Program#SLOW_BUILD}. */
    public void onSlowBuild(Consumer<String> notice, java.time.Duration after) {
        this.slowBuild = java.util.Objects.requireNonNull(notice, "notice");
        this.slowBuildAfter = java.util.Objects.requireNonNull(after, "after");
    }

    /** Where built programs are kept as binaries for later processes ({@link ProgramCache#standard()} unless set). */
    public void programCache(ProgramCache cache) {
        this.programCache = java.util.Objects.requireNonNull(cache, "cache");
    }

    ProgramCache programCache() {
        return programCache;
    }

    java.time.Duration slowBuildAfter() {
        return slowBuildAfter;
    }

    /** Sends {@code line} to the slow-build notice once per context. */
    void slowBuild(String line) {
        synchronized (noticed) {
            if (!noticed.add(line)) {
                return;
            }
        }
        slowBuild.accept(line);
    }

    /** A context and an in-order queue on {@code device}. */
    public static Context create(ClDevice device) {
        return new Context(device);
    }

    public ClDevice device() {
        return device;
    }

    public Queue queue() {
        return queue;
    }

    /**
     * A second in-order queue on the device, for copies that run while the kernels of {@link #queue()}
     * do ({@link Buffer#writeOnTransfers}); made on first use.
     */
    public synchronized Queue transfers() {
        requireOpen();
        if (transfers == null) {
            transfers = new Queue(this);
        }
        return transfers;
    }

    /** An event that completes once every command enqueued on {@link #queue()} so far has. */
    public Event marker() {
        org.jocl.cl_event event = new org.jocl.cl_event();
        Cl.check(clEnqueueMarkerWithWaitList(queue.handle, 0, null, event), "clEnqueueMarkerWithWaitList", device);
        Event marker = new Event(this, event);
        // Submitted now: a copy on the other queue waits for it, and waiting for that copy flushes only its own queue.
        queue.flush();
        return marker;
    }

    /**
     * The program built from {@code kernels/<file>} with {@code options}, built on first use and
     * cached; its lifetime is the context's.
     *
     * @throws BuildException with the compiler's log when the source does not compile
     */
    public synchronized Program program(String file, String options) {
        requireOpen();
        String key = file + "\0" + options;
        Program program = programs.get(key);
        if (program == null) {
            program = new Program(this, file, KernelSource.load(file), options);
            programs.put(key, program);
        }
        return program;
    }

    /** A program built from source text, uncached: for sources that do not live in {@code kernels/}. */
    public Program programFromSource(String name, String source, String options) {
        requireOpen();
        return new Program(this, name, source, options);
    }

    /** A device buffer of {@code count} floats, contents undefined. */
    public Buffer floats(long count) {
        return buffer(count, Float.BYTES, "floats");
    }

    /** A device buffer of {@code count} 32-bit ints, contents undefined. */
    public Buffer ints(long count) {
        return buffer(count, Integer.BYTES, "ints");
    }

    private Buffer buffer(long count, int elementBytes, String what) {
        requireOpen();
        return new Buffer(this, checkAllocation(count, elementBytes, what));
    }

    /**
     * The bytes a buffer of {@code count} elements takes (at least one element), checked against
     * {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE} before anything is allocated or queued.
     *
     * @param what how the message names the elements, e.g. {@code "floats"}
     * @throws DeviceLimitException naming the size asked for, the limit and the device
     */
    public long checkAllocation(long count, int elementBytes, String what) {
        if (count < 0) {
            throw new IllegalArgumentException("buffer of " + count + " " + what + ": the count must be >= 0");
        }
        if (count > Long.MAX_VALUE / elementBytes || count * elementBytes > device.maxAllocBytes()) {
            throw new DeviceLimitException(String.format(java.util.Locale.ROOT,
                    "a buffer of %d %s (%s bytes) exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes (%s) on %s",
                    count, what, count > Long.MAX_VALUE / elementBytes ? "more than 2^63" : count * elementBytes,
                    device.maxAllocBytes(), ClDevice.bytes(device.maxAllocBytes()), device));
        }
        return Math.max(count, 1) * elementBytes;
    }

    /**
     * {@link #checkAllocation} for each of several buffers, and their total against
     * {@code CL_DEVICE_GLOBAL_MEM_SIZE}: what must hold for all of them to exist at once.
     *
     * @throws DeviceLimitException naming the size asked for, the limit and the device
     */
    public void checkAllocations(long[] counts, int elementBytes, String what) {
        long total = 0;
        for (long count : counts) {
            total = Math.addExact(total, checkAllocation(count, elementBytes, what));
        }
        if (total > device.globalMemBytes()) {
            throw new DeviceLimitException(String.format(java.util.Locale.ROOT,
                    "%d buffers of %d bytes in all exceed CL_DEVICE_GLOBAL_MEM_SIZE = %d bytes (%s) on %s",
                    counts.length, total, device.globalMemBytes(), ClDevice.bytes(device.globalMemBytes()), device));
        }
    }

    /** Blocks until every command queued so far has finished. */
    public void finish() {
        queue.finish();
    }

    synchronized void register(Resource resource) {
        requireOpen();
        resources.add(resource);
    }

    synchronized void unregister(Resource resource) {
        resources.remove(resource);
    }

    /** Number of buffers, kernels and programs of this context still open (for leak tests). */
    public synchronized int openResources() {
        return resources.size();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL context on " + device + " is closed");
        }
    }

    @Override
    public void close() {
        List<Resource> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(resources);
            programs.clear();
        }
        RuntimeException failure = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        try {
            if (transfers != null) {
                transfers.release();
            }
            queue.release();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        int status = clReleaseContext(handle);
        if (failure != null) {
            throw failure;
        }
        Cl.check(status, "clReleaseContext", device);
    }

    /** A native object owned by this context. */
    abstract static class Resource implements AutoCloseable {
        final Context context;
        private boolean released;

        Resource(Context context) {
            this.context = context;
        }

        /** Call once the native object exists. */
        final void registered() {
            context.register(this);
        }

        abstract int release();

        abstract String what();

        final boolean isReleased() {
            return released;
        }

        /** @throws IllegalStateException once this object is released: its handle must not reach OpenCL */
        final void requireLive() {
            if (released) {
                throw new IllegalStateException(what() + " on " + context.device + " is released");
            }
        }

        @Override
        public final void close() {
            synchronized (context) {
                if (released) {
                    return;
                }
                released = true;
                context.unregister(this);
            }
            Cl.check(release(), "clRelease" + what(), context.device);
        }
    }
}
