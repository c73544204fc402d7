package org.d2lcl.bench;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeYes;

import java.util.concurrent.TimeUnit;
import org.d2lcl.backend.Reference;
import org.d2lcl.kernels.LinregStepKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.Context;
import org.jocl.blast.CLBlast;
import org.jocl.cl_command_queue;
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
 * One minibatch's loss gradient over all {@code n x d} rows, X read once: {@code linreg_step.cl}
 * (forward, residual, gradient and the SGD update, rows through an identity permutation) against
 * the sequence a CLBlast user writes (SGEMV for X·w, SAXPY for the residual, SGEMV transposed for
 * X^T r, SSUM for Σr: X read twice, four launches) and the Java reference. One operation is one
 * step, waited for. The shapes are {@code LinregStepKernelTest}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepBench {
    private static final float LR = 0.03f;

    @Param({"ours", "clblast", "java"})
    public String impl;

    @Param({"65536x256", "4194304x2"})
    public String size;

    private Context context;
    private LinregStepKernel kernel;
    private Buffer xb;
    private Buffer yb;
    private Buffer wb;
    private Buffer bb;
    private Buffer ib;
    private Buffer rb;
    private Buffer dwb;
    private Buffer dbb;
    private float[] x;
    private float[] y;
    private float[] w;
    private float[] b;
    private int[] idx;
    private Runnable op;
    private int n;
    private int d;

    /** X and y read once: {@code 4 (n d + n)} bytes. */
    static Work work(String size) {
        int[] nd = BenchSupport.dims(size);
        return Work.bytes(4 * ((double) nd[0] * nd[1] + nd[0]));
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] nd = BenchSupport.dims(size);
        n = nd[0];
        d = nd[1];
        x = BenchSupport.uniform(1, n * d);
        y = BenchSupport.uniform(2, n);
        w = BenchSupport.uniform(3, d);
        b = new float[] {0.5f};
        idx = BenchSupport.identity(n);
        switch (impl) {
            case "java" -> op = () -> Reference.linregStep(w, b, x, y, idx, 0, n, LR, n, d);
            case "ours" -> {
                openDevice();
                kernel = new LinregStepKernel(context);
                ib = context.ints(n);
                ib.write(idx);
                op = () -> {
                    kernel.step(wb, bb, xb, yb, ib, 0, n, LR, n, d);
                    context.finish();
                };
            }
            case "clblast" -> {
                openDevice();
                // CLBlast computes beta * y even for beta = 0: outputs start at 0, not garbage.
                rb = context.floats(n);
                dwb = context.floats(d);
                dbb = context.floats(1);
                rb.fill(0f, n);
                dwb.fill(0f, d);
                dbb.fill(0f, 1);
                cl_command_queue q = context.queue().clCommandQueue();
                op = () -> {
                    BenchSupport.clblast(CLBlast.CLBlastSgemv(CLBlastLayoutRowMajor, CLBlastTransposeNo, n, d, 1f,
                            xb.clMem(), 0, d, wb.clMem(), 0, 1, 0f, rb.clMem(), 0, 1, q, null), "CLBlastSgemv");
                    BenchSupport.clblast(CLBlast.CLBlastSaxpy(n, -1f, yb.clMem(), 0, 1, rb.clMem(), 0, 1, q, null),
                            "CLBlastSaxpy");
                    BenchSupport.clblast(CLBlast.CLBlastSgemv(CLBlastLayoutRowMajor, CLBlastTransposeYes, n, d, 1f,
                            xb.clMem(), 0, d, rb.clMem(), 0, 1, 0f, dwb.clMem(), 0, 1, q, null), "CLBlastSgemv^T");
                    BenchSupport.clblast(CLBlast.CLBlastSsum(n, dbb.clMem(), 0, rb.clMem(), 0, 1, q, null),
                            "CLBlastSsum");
                    context.finish();
                };
            }
            default -> throw new IllegalArgumentException("impl " + impl);
        }
        check();
    }

    private void openDevice() {
        context = Context.create(BenchSupport.device());
        xb = context.floats((long) n * d);
        yb = context.floats(n);
        wb = context.floats(d);
        bb = context.floats(1);
        xb.write(x);
        yb.write(y);
        wb.write(w);
        bb.write(b);
    }

    /**
     * Ours must give the reference's bits; CLBlast's gradient must lie within a float64 gradient's
     * bound: each residual's d + 2 roundings carried through, and n + 1 more for the sum (b = 0 in
     * its forward pass: SGEMV has no bias).
     */
    private void check() {
        float[] w0 = w.clone();
        float[] b0 = b.clone();
        op.run();
        if (impl.equals("ours")) {
            float[] wRef = w0.clone();
            float[] bRef = b0.clone();
            Reference.linregStep(wRef, bRef, x, y, idx, 0, n, LR, n, d);
            float[] wOut = new float[d];
            float[] bOut = new float[1];
            wb.read(wOut);
            bb.read(bOut);
            for (int j = 0; j < d; j++) {
                BenchSupport.check("ours w[" + j + "]", wRef[j], wOut[j], 0);
            }
            BenchSupport.check("ours b", bRef[0], bOut[0], 0);
        } else if (impl.equals("clblast")) {
            double[] g = new double[d + 1];
            double[] bound = new double[d + 1];
            for (int i = 0; i < n; i++) {
                double r = -y[i];
                double mag = Math.abs(y[i]);
                for (int j = 0; j < d; j++) {
                    r += (double) x[i * d + j] * w0[j];
                    mag += Math.abs((double) x[i * d + j] * w0[j]);
                }
                double rErr = (d + 2) * BenchSupport.U * mag;
                for (int j = 0; j <= d; j++) {
                    double xj = j < d ? x[i * d + j] : 1.0;
                    g[j] += xj * r;
                    bound[j] += Math.abs(xj) * (rErr + (n + 1) * BenchSupport.U * (Math.abs(r) + rErr));
                }
            }
            float[] dw = new float[d];
            float[] db = new float[1];
            dwb.read(dw);
            dbb.read(db);
            for (int j = 0; j <= d; j++) {
                BenchSupport.check("clblast gradient[" + j + "]", g[j], j < d ? dw[j] : db[0], bound[j]);
            }
        }
    }

    @Benchmark
    public void step() {
        op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (context != null) {
            context.close();
        }
    }
}
