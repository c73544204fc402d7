package org.d2lcl.bench;

import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.d2lcl.backend.Reference;
import org.d2lcl.kernels.MatmulKernel;
import org.d2lcl.kernels.MatmulPackedKernel;
import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.ClDevice;
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
 * {@code C = A·B}, square {@code size}: ours against CLBlast's SGEMM on the same device, the Java
 * reference loop, and OpenBLAS on the host's cores. Ours is the studied register-blocked GEMM
 * ({@code matmul_packed.cl}) on a CPU and the library's TILED {@code matmul.cl} elsewhere. One
 * operation is one product, waited for. The shapes are {@code MatmulKernelTest}'s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatmulBench {
    @Param({"ours", "clblast", "java", "openblas"})
    public String impl;

    @Param({"128", "256", "512", "1024"})
    public String size;

    private Context context;
    private Buffer a;
    private Buffer b;
    private Buffer c;
    private float[] ha;
    private float[] hb;
    private float[] hc;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;
    private Runnable op;
    private int n;

    /** {@code 2 n^3} flops. */
    static Work work(String size) {
        double n = BenchSupport.dims(size)[0];
        return Work.flops(2 * n * n * n);
    }

    @Setup(Level.Trial)
    public void setup() {
        n = BenchSupport.dims(size)[0];
        ha = BenchSupport.uniform(1, n * n);
        hb = BenchSupport.uniform(2, n * n);
        hc = new float[n * n];
        switch (impl) {
            case "ours", "clblast" -> {
                context = Context.create(BenchSupport.device());
                a = context.floats((long) n * n);
                b = context.floats((long) n * n);
                c = context.floats((long) n * n);
                a.write(ha);
                b.write(hb);
                c.fill(0f, (long) n * n); // CLBlast computes beta * C even for beta = 0
                if (impl.equals("ours") && context.device().type() == ClDevice.Type.CPU) {
                    MatmulPackedKernel packed = new MatmulPackedKernel(context);
                    op = () -> {
                        packed.matmul(c, a, b, null, n, n, n);
                        context.finish();
                    };
                } else if (impl.equals("ours")) {
                    MatmulKernel tiled = new MatmulKernel(context);
                    op = () -> {
                        tiled.matmul(c, a, b, null, n, n, n);
                        context.finish();
                    };
                } else {
                    op = () -> {
                        BenchSupport.clblast(CLBlast.CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo,
                                CLBlastTransposeNo, n, n, n, 1f, a.clMem(), 0, n, b.clMem(), 0, n, 0f, c.clMem(), 0, n,
                                context.queue().clCommandQueue(), null), "CLBlastSgemm");
                        context.finish();
                    };
                }
            }
            case "java" -> op = () -> Reference.matmul(hc, ha, hb, null, n, n, n);
            case "openblas" -> {
                pa = new FloatPointer(ha);
                pb = new FloatPointer(hb);
                pc = new FloatPointer((long) n * n);
                op = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                        n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
            }
            default -> throw new IllegalArgumentException("impl " + impl);
        }
        op.run(); // builds kernels (CLBlast compiles per routine and size) before any timing
        check();
    }

    /** 64 random elements of C against a float64 dot product, under (n + 1)·u·Σ|a·b|. */
    private void check() {
        float[] out = hc;
        if (c != null) {
            c.read(out);
        } else if (pc != null) {
            pc.get(out);
        }
        Random rng = new Random(3);
        for (int t = 0; t < 64; t++) {
            int i = rng.nextInt(n);
            int j = rng.nextInt(n);
            double exact = 0;
            double abs = 0;
            for (int k = 0; k < n; k++) {
                double p = (double) ha[i * n + k] * hb[k * n + j];
                exact += p;
                abs += Math.abs(p);
            }
            BenchSupport.check(impl + " C[" + i + "][" + j + "]", exact, out[i * n + j], (n + 1) * BenchSupport.U * abs);
        }
    }

    @Benchmark
    public void matmul() {
        op.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (context != null) {
            context.close();
        }
        for (FloatPointer p : new FloatPointer[] {pa, pb, pc}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
