package org.d2lcl.bench;

import java.util.concurrent.TimeUnit;
import org.d2lcl.kernels.CopyKernel;
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
 * {@code y = 2 x} over {@code size} floats with {@code copy.cl}: the device's streaming bandwidth,
 * the ceiling GEMV, reduce and training are judged against. One operation is one copy, waited for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CopyBench {
    @Param({"ours"})
    public String impl;

    @Param({"33554432"})
    public String size;

    private Context context;
    private CopyKernel kernel;
    private Buffer xb;
    private Buffer yb;
    private int n;

    /** x read and y written: {@code 8 n} bytes. */
    static Work work(String size) {
        return Work.bytes(8.0 * BenchSupport.dims(size)[0]);
    }

    @Setup(Level.Trial)
    public void setup() {
        if (!impl.equals("ours")) {
            throw new IllegalArgumentException("impl " + impl);
        }
        n = BenchSupport.dims(size)[0];
        context = Context.create(BenchSupport.device());
        kernel = new CopyKernel(context);
        xb = context.floats(n);
        yb = context.floats(n);
        float[] x = BenchSupport.uniform(1, n);
        xb.write(x);
        copy();
        float[] y = new float[n];
        yb.read(y);
        for (int i = 0; i < n; i += 4099) {
            BenchSupport.check("copy y[" + i + "]", 2.0 * x[i], y[i], 0);
        }
    }

    @Benchmark
    public void copy() {
        kernel.copyScale(yb, xb, 2f, n);
        context.finish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        context.close();
    }
}
