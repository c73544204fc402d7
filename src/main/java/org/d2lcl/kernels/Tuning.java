package org.d2lcl.kernels;

import org.d2lcl.opencl.ClDevice;

/**
 * Work-group and tile sizes chosen from a device's limits, passed to the {@code .cl} files as
 * {@code -D} options. Defaults are safe on any device; nothing here exceeds a device limit.
 *
 * <p>CPU devices (PoCL, Intel's CPU runtime) run a work-group as a loop on one core, so there the
 * sizes aim at long contiguous runs per work-item and a few work-groups per core; GPUs get many
 * work-items and power-of-two groups.
 */
public final class Tuning {
    /** Work-items per work-group the GEMV kernels ask for. */
    static final int GEMV_LOCAL = 16;

    private Tuning() {
    }

    /**
     * Options every program is built with: OpenCL C 1.2, and IEEE division where the device offers
     * it so that {@code a / b} rounds as in Java.
     */
    public static String baseOptions(ClDevice device) {
        StringBuilder options = new StringBuilder("-cl-std=CL1.2");
        if (device.correctlyRoundedDivide()) {
            options.append(" -cl-fp32-correctly-rounded-divide-sqrt");
        }
        return options.toString();
    }

    /**
     * The largest power of two {@code <= min(preferred, device limit)}: the device limit is
     * {@link ClDevice#maxLocalSize()}; the built kernel may lower it further ({@link Fitted}).
     */
    public static int workGroup(ClDevice device, int preferred) {
        long limit = Math.min(preferred, device.maxLocalSize());
        return Integer.highestOneBit((int) Math.max(1, limit));
    }

    /**
     * A 1-D work-group of {@code l} items for a file whose options do not depend on it: halved
     * while a kernel refuses it.
     */
    static Fitted.Shape<Integer> local(String options) {
        return new Fitted.Shape<>(l -> options, l -> l, l -> 0, l -> l > 1 ? l / 2 : null);
    }

    /** The same for a file whose work-group size is its compile-time {@code WG}: rebuilt as it halves. */
    static Fitted.Shape<Integer> wg(String baseOptions) {
        return new Fitted.Shape<>(l -> baseOptions + " -DWG=" + l, l -> l, l -> 0, l -> l > 1 ? l / 2 : null);
    }

    /**
     * Square matmul tile edge: 16 where a 16x16 group fits the work-group limits and two 16x16
     * float tiles the local memory, else 8, 4...
     */
    public static int matmulTile(ClDevice device) {
        long[] items = device.maxWorkItemSizes();
        long edge = Math.min(items.length > 0 ? items[0] : 1, items.length > 1 ? items[1] : 1);
        int tile = 16;
        while (tile > 1 && ((long) tile * tile > device.maxWorkGroupSize() || tile > edge
                || 2L * tile * tile * Float.BYTES > device.localMemBytes())) {
            tile /= 2;
        }
        return tile;
    }

    /**
     * The vector width of the reductions (and of the benchmarks' packed GEMM): the device's preferred
     * float vector width, as a power of two in [4, 16] (16 on AVX-512, 8 on AVX2; GPUs that prefer
     * scalars get 4, which they load as one 16-byte transaction).
     */
    public static int vectorWidth(ClDevice device) {
        int preferred = Math.max(4, Math.min(16, device.preferredFloatVectorWidth()));
        return Integer.highestOneBit(preferred);
    }

    /**
     * Rows each GEMV work-item streams: a multiple of 16 chosen so that about 64 work-items per
     * compute unit share the rows on a CPU (long contiguous runs), 1024 on other devices.
     */
    static int gemvRowsPerItem(ClDevice device, long m) {
        long items = (long) device.computeUnits() * (device.type() == ClDevice.Type.CPU ? 64 : 1024);
        long rows = (m + items - 1) / items;
        return (int) Math.max(16, Math.min(1 << 24, (rows + 15) / 16 * 16));
    }

    /**
     * {@code reduce.cl}'s sizes: WG items per group, up to {@code groups} groups in pass 1, VW-float
     * loads, and whether each item reads one contiguous run (CPUs) or a grid-stride (GPUs). A CPU
     * gets 8 groups of 16 items per compute unit: 128 runs of n/256 floats on 2 cores.
     */
    public record Reduce(int wg, int groups, int vw, boolean contiguous) {
        /** {@code reduce.cl}'s build options. */
        String options(ClDevice device) {
            return baseOptions(device) + " -DWG=" + wg + " -DVW=" + vw + " -DCONTIGUOUS=" + (contiguous ? 1 : 0);
        }

        /** Halving the work-group: the sizes where a kernel refuses these. */
        static Fitted.Shape<Reduce> shape(ClDevice device) {
            return new Fitted.Shape<>(t -> t.options(device), Reduce::wg, t -> 0,
                    t -> t.wg > 1 ? new Reduce(t.wg / 2, t.groups, t.vw, t.contiguous) : null);
        }
    }

    public static Reduce reduce(ClDevice device) {
        boolean cpu = device.type() == ClDevice.Type.CPU;
        int wg = workGroup(device, cpu ? 16 : 256);
        int groups = (int) Math.min(1 << 16, Math.max(1L, device.computeUnits() * 8L));
        return new Reduce(wg, groups, cpu ? vectorWidth(device) : 4, cpu);
    }

    /**
     * {@code linreg_step.cl} and {@code linreg_epoch.cl}'s sizes: L work-items in the one work-group,
     * batches taken in chunks of CH rows, rows prefetched AHEAD places early in the permutation. A
     * CPU runs the group as one loop anyway, so it gets L = 1 and chunks of 64 rows (16 KiB of X at
     * d = 64, read again from L1), and asks for each row 64 rows before it reads it: the shuffled
     * order defeats the hardware prefetcher, and a row that waits for memory stalls the one core.
     * Other devices get L = 64 items, one row each per chunk, and hide latency with other work-items.
     */
    public record Linreg(int local, int chunk, int ahead) {
        /**
         * The build options for rows of {@code d} features (the kernels' compile-time D) under the
         * step rule's options ({@code StepRule.buildOptions}).
         */
        String options(ClDevice device, int d, String rule) {
            return baseOptions(device) + " -DL=" + local + " -DCH=" + chunk + " -DAHEAD=" + ahead + " -DD=" + d + " "
                    + rule;
        }

        /** The __local residuals: CH floats, and at least L for the loss's tree. */
        long residualBytes() {
            return (long) Math.max(chunk, local) * Float.BYTES;
        }

        /** The __local gradient: d + 1 values rounded up to blocks of 16. */
        long gradientBytes(int d) {
            return (d + 16L) / 16 * 16 * Float.BYTES;
        }

        /** The __local arguments: residuals, gradient and the runs' total. */
        long localArgBytes(int d) {
            return residualBytes() + 2 * gradientBytes(d);
        }

        /**
         * Fails before any build when the gradient alone cannot fit the device's local memory,
         * whatever the work-group: the fused kernels keep all d + 1 values there.
         */
        static void checkLocalMemory(ClDevice device, int d) {
            long bytes = new Linreg(1, 1, 0).localArgBytes(d) + Integer.BYTES;
            if (bytes > device.localMemBytes()) {
                throw new org.d2lcl.opencl.DeviceLimitException(String.format(java.util.Locale.ROOT,
                        "the fused kernels keep the gradient of d + 1 = %d parameters in local memory: %d bytes"
                                + " exceed CL_DEVICE_LOCAL_MEM_SIZE = %d bytes on %s; use the unfused kernels",
                        d + 1L, bytes, device.localMemBytes(), device));
            }
        }

        /**
         * The sizes to build with for rows of {@code d} features: L halves first, then CH; the bits
         * depend on neither (linreg_step.cl).
         */
        static Fitted.Shape<Linreg> shape(ClDevice device, int d, String rule) {
            return new Fitted.Shape<>(t -> t.options(device, d, rule), Linreg::local, t -> t.localArgBytes(d),
                    t -> t.local > 1 ? new Linreg(t.local / 2, Math.max(1, Math.min(t.chunk, t.local / 2)), t.ahead)
                            : t.chunk > 1 ? new Linreg(1, t.chunk / 2, t.ahead) : null);
        }
    }

    /** The most work-items of the fused step's and the epoch kernel's work-group, on any device. */
    public static final int LINREG_MAX_LOCAL = 64;

    public static Linreg linreg(ClDevice device) {
        if (device.type() == ClDevice.Type.CPU) {
            return new Linreg(1, 64, 64);
        }
        int local = workGroup(device, LINREG_MAX_LOCAL);
        return new Linreg(local, local, 0);
    }

    static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }
}
