package org.d2lcl.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.d2lcl.Rng;
import org.d2lcl.data.Dataset;
import org.d2lcl.kernels.LinregEpochKernel;
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
 * What the order of the rows costs: one {@code linreg_epoch.cl} launch over {@code TrainBench}'s
 * large data (batch 256, lr 0.03) with the rows in a shuffled order, as training reads them, and
 * in sorted order, which streams X. The work is the same; the difference is the price of reading
 * 256-byte rows at random addresses. A diagnostic for the train target, reported in GB/s of X
 * read by the steps and the loss (X twice).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EpochBench {
    @Param({"shuffled", "sorted"})
    public String impl;

    @Param({"1048576x64"})
    public String size;

    private Context context;
    private LinregEpochKernel kernel;
    private Buffer w;
    private Buffer b;
    private Buffer loss;
    private Buffer status;
    private Buffer x;
    private Buffer y;
    private Buffer idx;
    private final float[] result = new float[1];
    private int n;
    private int d;

    /** X read twice (the steps, then the loss): {@code 8 n d} bytes. */
    static Work work(String size) {
        int[] nd = BenchSupport.dims(size);
        return Work.bytes(8.0 * nd[0] * nd[1]);
    }

    @Setup(Level.Trial)
    public void setup() {
        Dataset data = TrainBench.data(size);
        n = data.n();
        d = data.d();
        int[] order = BenchSupport.identity(n);
        if (impl.equals("shuffled")) {
            Rng.permutation(order, new Random(42));
        } else if (!impl.equals("sorted")) {
            throw new IllegalArgumentException("impl " + impl);
        }
        context = Context.create(BenchSupport.device());
        kernel = new LinregEpochKernel(context);
        w = context.floats(d);
        b = context.floats(1);
        loss = context.floats(1);
        status = context.ints(1);
        x = context.floats((long) n * d);
        y = context.floats(n);
        idx = context.ints(n);
        w.fill(0f, d);
        b.fill(0f, 1);
        x.write(data.features());
        y.write(data.labels());
        idx.write(order);
        float first = epoch();
        if (!(first / n < 1e-3)) {
            throw new IllegalStateException(impl + ": the first epoch ends at loss " + first / n);
        }
    }

    @Benchmark
    public float epoch() {
        kernel.epoch(w, b, loss, status, x, y, idx, 0.03f, 256, n, d);
        loss.read(result);
        return result[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        context.close();
    }
}
