package org.d2lcl.bench;

import static org.jocl.CL.*;

import java.util.concurrent.TimeUnit;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.kernels.SgdKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.KernelSource;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one launch costs the host: {@code sgd.cl} over 64 floats, {@value #LAUNCHES} launches then
 * one wait, each launch setting its five arguments as a minibatch loop does. {@code jocl} is the
 * bare JOCL calls (arguments and {@code clEnqueueNDRangeKernel}, arrays made once), {@code kernel}
 * the library's {@code SgdKernel}, {@code backend} {@code Backend.sgd} on tensors (its checks and
 * thread guard included). The device's own work is the same in all three, so their differences are
 * the host's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LaunchBench {
    static final int LAUNCHES = 1000;
    private static final int N = 64;

    @Param({"jocl", "kernel", "backend"})
    public String impl;

    /** The floats each launch updates (one size: the table's row). */
    @Param({"64"})
    public String size;

    private Context context;
    private Backend backend;
    private Tensor pt;
    private Tensor gt;
    private SgdKernel kernel;
    private Buffer p;
    private Buffer g;
    private cl_program program;
    private cl_kernel raw;
    private cl_command_queue queue;
    private final long[] global = {N};
    private final long[] local = {N};
    private final float[] lr = {0.01f};
    private final int[] batch = {1};
    private final int[] n = {N};

    @Setup(Level.Trial)
    public void setup() {
        if (impl.equals("backend")) {
            backend = new OpenClBackend(BenchSupport.device());
            pt = backend.zeros(N, 1);
            gt = backend.zeros(N, 1);
            return;
        }
        context = Context.create(BenchSupport.device());
        p = context.floats(N);
        g = context.floats(N);
        p.fill(0f, N);
        g.fill(0f, N);
        queue = context.queue().clCommandQueue();
        if (impl.equals("kernel")) {
            kernel = new SgdKernel(context);
            return;
        }
        cl_context ctx = new cl_context();
        clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, Sizeof.cl_context, Pointer.to(ctx), null);
        cl_device_id dev = new cl_device_id();
        clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, Sizeof.cl_device_id, Pointer.to(dev), null);
        program = clCreateProgramWithSource(ctx, 1, new String[] {KernelSource.load("sgd.cl")}, null, null);
        clBuildProgram(program, 1, new cl_device_id[] {dev}, "-cl-fp32-correctly-rounded-divide-sqrt", null, null);
        raw = clCreateKernel(program, "sgd", null);
    }

    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public void launch() {
        switch (impl) {
            case "jocl" -> {
                Pointer pm = Pointer.to(p.clMem());
                Pointer gm = Pointer.to(g.clMem());
                for (int i = 0; i < LAUNCHES; i++) {
                    clSetKernelArg(raw, 0, Sizeof.cl_mem, pm);
                    clSetKernelArg(raw, 1, Sizeof.cl_mem, gm);
                    clSetKernelArg(raw, 2, Sizeof.cl_float, Pointer.to(lr));
                    clSetKernelArg(raw, 3, Sizeof.cl_int, Pointer.to(batch));
                    clSetKernelArg(raw, 4, Sizeof.cl_int, Pointer.to(n));
                    clEnqueueNDRangeKernel(queue, raw, 1, null, global, local, 0, null, null);
                }
                clFinish(queue);
            }
            case "kernel" -> {
                for (int i = 0; i < LAUNCHES; i++) {
                    kernel.sgd(p, g, 0.01f, 1, N);
                }
                context.queue().finish();
            }
            default -> {
                for (int i = 0; i < LAUNCHES; i++) {
                    backend.sgd(pt, gt, 0.01f, 1);
                }
                backend.finish();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (raw != null) {
            clReleaseKernel(raw);
            clReleaseProgram(program);
        }
        if (kernel != null) {
            kernel.close();
        }
        if (context != null) {
            context.close();
        }
        if (backend != null) {
            backend.close();
        }
    }
}
