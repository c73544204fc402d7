package org.d2lcl.kernels;

import org.d2lcl.opencl.Buffer;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.Context;
import org.d2lcl.opencl.Kernel;
import org.d2lcl.opencl.ScratchBuffer;

/**
 * Host side of {@code matmul_packed.cl}, a study kept with the benchmarks: {@code C = A·B (+ bias)}
 * with MR x NR register blocks, B read in place or as packed panels. The library's
 * {@link MatmulKernel} runs TILED for the same product; {@code MatmulBench} times this one on CPUs,
 * and {@code MatmulKernelTest} holds it to the same bound.
 */
public final class MatmulPackedKernel implements AutoCloseable {
    /**
     * The register block MR x (VW * NV). The block keeps MR * NV accumulators and NV values of B in
     * vector registers: 8 x 2 of float16 is 18 of AVX-512's 32 registers, 6 x 2 of float8 is 14 of
     * AVX2's 16.
     */
    record Block(int vw, int mr, int nv) {
        static Block of(ClDevice device) {
            int vw = Tuning.vectorWidth(device);
            int mr = switch (vw) {
                case 16 -> 8;
                case 8 -> 6;
                default -> 4;
            };
            return new Block(vw, mr, 2);
        }

        int nr() {
            return vw * nv;
        }
    }

    private final Block block;
    private final Fitted<Integer> kernels;
    private final Kernel packB;
    private final Kernel gemm;
    /** pack_b's local size, as the built kernel takes it. */
    private final int packLocal;
    private final ScratchBuffer packedB;

    public MatmulPackedKernel(Context context) {
        ClDevice device = context.device();
        this.block = Block.of(device);
        String options = Tuning.baseOptions(device) + " -DVW=" + block.vw() + " -DMR=" + block.mr() + " -DNV="
                + block.nv();
        // pack_b's local size divides its global size, a multiple of NR (a power of two).
        this.kernels = Fitted.build(context, "matmul_packed.cl", Tuning.workGroup(device, block.nr()),
                Tuning.local(options), "pack_b", "gemm");
        this.packLocal = kernels.geometry();
        this.packB = kernels.kernel("pack_b");
        this.gemm = kernels.kernel("gemm");
        this.packedB = new ScratchBuffer(context);
    }

    /**
     * Enqueues {@code C[m x n] = A[m x k] · B[k x n] (+ bias[n])}; {@code bias} may be null. Throws
     * {@link org.d2lcl.opencl.DeviceLimitException} where the packed copy of B does not fit one
     * allocation.
     */
    public void matmul(Buffer c, Buffer a, Buffer b, Buffer bias, int m, int k, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        int nr = block.nr();
        long np = Kernel.roundUp(n, nr);
        Buffer panels = b;
        long panel = nr;
        long row = n;
        if (n % nr != 0 || n % 1024 == 0) {
            panels = packedB.floats((long) k * np);
            if (k > 0) {
                packB.arg(0, panels).arg(1, b).arg(2, k).arg(3, n);
                packB.launch(new long[] {np, k}, new long[] {packLocal, 1});
            }
            panel = (long) k * nr;
            row = nr;
        }
        MatmulKernel.setArgs(gemm, c, a, panels, bias).arg(4, m).arg(5, k).arg(6, n).arg(7, (int) panel)
                .arg(8, (int) row);
        gemm.launch(new long[] {Tuning.ceilDiv(m, block.mr()), np / nr}, new long[] {1, 1});
    }

    @Override
    public void close() {
        kernels.close();
        packedB.close();
    }
}
