package org.d2lcl.bench;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.d2lcl.backend.Reference;
import org.d2lcl.kernels.MatmulKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.jocl.blast.CLBlast;
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
 * The linreg forward pass {@code y = X·w}, X of {@code n x d}: {@code matmul.cl}'s GEMV against
 * CLBlast's SGEMV and the Java reference. One operation is one product, waited for. The shapes are
 * {@code MatmulKernelTest}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemvBench {
    @Param({"ours", "clblast", "java"})
    public String impl;

    @Param({"4194304x2", "4194304x16", "65536x256"})
    public String size;

    private Context context;
    private MatmulKernel kernel;
    private Buffer xb, wb, yb;
    private float[] x, w, y;
    private Runnable op;
    private int n, d;

    /** X read once, w, and y written: {@code 4 (n d + d + n)} bytes. */
    static Work work(String size) {
        int[] nd = BenchSupport.dims(size);
        return Work.bytes(4 * ((double) nd[0] * nd[1] + nd[1] + nd[0]));
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] nd = BenchSupport.dims(size);
        n = nd[0];
        d = nd[1];
        y = new float[n];
        x = BenchSupport.uniform(1, n * d);
        w = BenchSupport.uniform(2, d);
        if (impl.equals("java")) {
            op = () -> Reference.matmul(y, x, w, null, n, d, 1);
        } else {
            context = Context.create(BenchSupport.device());
            xb = context.floats((long) n * d);
            wb = context.floats(d);
            yb = context.floats(n);
            xb.write(x);
            wb.write(w);
            yb.fill(0f, n); // CLBlast computes beta * y even for beta = 0
            if (impl.equals("ours")) {
                kernel = new MatmulKernel(context);
                op = () -> {
                    kernel.matmul(yb, xb, wb, null, n, d, 1);
                    context.finish();
                };
            } else if (impl.equals("clblast")) {
                op = () -> {
                    BenchSupport.clblast(CLBlast.CLBlastSgemv(CLBlastLayoutRowMajor, CLBlastTransposeNo, n, d, 1f,
                            xb.clMem(), 0, d, wb.clMem(), 0, 1, 0f, yb.clMem(), 0, 1, context.queue().clCommandQueue(),
                            null), "CLBlastSgemv");
                    context.finish();
                };
            } else {
                throw new IllegalArgumentException("impl " + impl);
            }
        }
        op.run();
        if (yb != null) {
            yb.read(y);
        }
        Random rng = new Random(3);
        for (int t = 0; t < 64; t++) {
            int i = rng.nextInt(n);
            double exact = 0;
            double abs = 0;
            for (int j = 0; j < d; j++) {
                double p = (double) x[i * d + j] * w[j];
                exact += p;
                abs += Math.abs(p);
            }
            BenchSupport.check(impl + " y[" + i + "]", exact, y[i], (d + 1) * BenchSupport.U * abs);
        }
    }

    @Benchmark
    public void gemv() {
        op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (context != null) {
            context.close();
        }
    }
}
