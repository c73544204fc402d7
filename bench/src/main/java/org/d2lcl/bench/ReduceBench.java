package org.d2lcl.bench;

import java.util.concurrent.TimeUnit;
import org.d2lcl.backend.Reference;
import org.d2lcl.kernels.ReduceKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code sum(x)} over {@code size} floats: {@code reduce.cl}'s two passes against the Java
 * reference. One operation is one sum, read back to the host. The lengths are
 * {@code ReduceKernelTest}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReduceBench {
    @Param({"ours", "java"})
    public String impl;

    @Param({"1048576", "33554432"})
    public String size;

    private Context context;
    private ReduceKernel kernel;
    private Buffer xb;
    private Buffer out;
    private float[] x;
    private final float[] result = new float[1];
    private int n;

    /** x read once: {@code 4 n} bytes. */
    static Work work(String size) {
        return Work.bytes(4.0 * BenchSupport.dims(size)[0]);
    }

    @Setup(Level.Trial)
    public void setup() {
        n = BenchSupport.dims(size)[0];
        x = BenchSupport.uniform(1, n);
        if (impl.equals("ours")) {
            context = Context.create(BenchSupport.device());
            kernel = new ReduceKernel(context);
            xb = context.floats(n);
            out = context.floats(1);
            xb.write(x);
        } else if (!impl.equals("java")) {
            throw new IllegalArgumentException("impl " + impl);
        }
        float sum = reduce();
        double exact = 0;
        double abs = 0;
        for (float v : x) {
            exact += v;
            abs += Math.abs(v);
        }
        long depth = kernel == null ? n : kernel.depth(n);
        BenchSupport.check(impl + " sum", exact, sum, depth * BenchSupport.U * abs);
    }

    @Benchmark
    public float reduce() {
        if (kernel == null) {
            return Reference.sum(x, n);
        }
        kernel.sum(out, xb, n);
        out.read(result);
        return result[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (context != null) {
            context.close();
        }
    }
}
