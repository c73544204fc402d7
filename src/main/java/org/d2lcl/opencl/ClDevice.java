package org.d2lcl.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device and the limits the host needs to size its kernels. {@link #all()} lists every
 * device of every platform in a stable order; {@link #index()} is the position in that list.
 */
public final class ClDevice {
    /** The kind of device, as {@code CL_DEVICE_TYPE} reports it. */
    public enum Type { GPU, CPU, ACCELERATOR, OTHER }

    private final int index;
    final cl_platform_id platform;
    final cl_device_id id;
    private final String platformName;
    private final String name;
    private final Type type;
    private final String version;
    private final String openclCVersion;
    private final String extensions;
    private final int computeUnits;
    private final long globalMemBytes;
    private final long localMemBytes;
    private final long maxAllocBytes;
    private final long maxWorkGroupSize;
    private final long[] maxWorkItemSizes;
    private final String driverVersion;
    private final int preferredFloatVectorWidth;
    private final boolean correctlyRoundedDivide;
    private final boolean available;
    private final boolean compilerAvailable;

    private ClDevice(int index, cl_platform_id platform, cl_device_id id) {
        this.index = index;
        this.platform = platform;
        this.id = id;
        this.platformName = platformString(platform, CL_PLATFORM_NAME);
        this.name = string(CL_DEVICE_NAME);
        long t = longValue(CL_DEVICE_TYPE);
        this.type = (t & CL_DEVICE_TYPE_GPU) != 0 ? Type.GPU
                : (t & CL_DEVICE_TYPE_CPU) != 0 ? Type.CPU
                : (t & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? Type.ACCELERATOR : Type.OTHER;
        this.version = string(CL_DEVICE_VERSION);
        this.openclCVersion = string(CL_DEVICE_OPENCL_C_VERSION);
        this.extensions = string(CL_DEVICE_EXTENSIONS);
        this.computeUnits = intValue(CL_DEVICE_MAX_COMPUTE_UNITS);
        this.globalMemBytes = longValue(CL_DEVICE_GLOBAL_MEM_SIZE);
        this.localMemBytes = longValue(CL_DEVICE_LOCAL_MEM_SIZE);
        this.maxAllocBytes = longValue(CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.maxWorkGroupSize = sizeValue(CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.maxWorkItemSizes = sizeValues(CL_DEVICE_MAX_WORK_ITEM_SIZES, intValue(CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS));
        this.driverVersion = string(CL_DRIVER_VERSION);
        this.preferredFloatVectorWidth = intValue(CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT);
        this.correctlyRoundedDivide =
                (longValue(CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
        this.available = intValue(CL_DEVICE_AVAILABLE) != 0;
        this.compilerAvailable = intValue(CL_DEVICE_COMPILER_AVAILABLE) != 0;
    }

    /**
     * Every device of every platform, platforms in the order the ICD loader reports them.
     *
     * @throws OpenClUnavailableException when no OpenCL runtime can be loaded
     */
    public static List<ClDevice> all() {
        OpenCl.requireRuntime();
        int[] count = new int[1];
        int status = clGetPlatformIDs(0, null, count);
        if (status == CL_PLATFORM_NOT_FOUND_KHR || count[0] == 0) {
            return List.of();
        }
        Cl.check(status, "clGetPlatformIDs", null);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        Cl.check(clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", null);
        List<ClDevice> devices = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            int[] n = new int[1];
            status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
            if (status == CL_DEVICE_NOT_FOUND || n[0] == 0) {
                continue;
            }
            Cl.check(status, "clGetDeviceIDs", null);
            cl_device_id[] ids = new cl_device_id[n[0]];
            Cl.check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null), "clGetDeviceIDs", null);
            for (cl_device_id id : ids) {
                devices.add(new ClDevice(devices.size(), platform, id));
            }
        }
        return List.copyOf(devices);
    }

    public int index() {
        return index;
    }

    public String platformName() {
        return platformName;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** {@code CL_DEVICE_VERSION}, e.g. {@code OpenCL 3.0 PoCL ...}. */
    public String version() {
        return version;
    }

    /** The OpenCL version alone, e.g. {@code OpenCL 3.0}. */
    public String openclVersion() {
        String[] words = version.split(" ");
        return words.length >= 2 ? words[0] + " " + words[1] : version;
    }

    public String openclCVersion() {
        return openclCVersion;
    }

    public boolean hasExtension(String extension) {
        return (" " + extensions + " ").contains(" " + extension + " ");
    }

    public int computeUnits() {
        return computeUnits;
    }

    public long globalMemBytes() {
        return globalMemBytes;
    }

    public long localMemBytes() {
        return localMemBytes;
    }

    /** {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}: the largest single buffer. */
    public long maxAllocBytes() {
        return maxAllocBytes;
    }

    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    /** {@code CL_DEVICE_MAX_WORK_ITEM_SIZES}: the most work-items of a work-group in each dimension. */
    public long[] maxWorkItemSizes() {
        return maxWorkItemSizes.clone();
    }

    /**
     * The most work-items a 1-D work-group may have on this device: {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
     * and {@code CL_DEVICE_MAX_WORK_ITEM_SIZES[0]}, whichever is smaller. A kernel may allow fewer
     * ({@code CL_KERNEL_WORK_GROUP_SIZE}, see {@link Kernel#maxWorkGroupSize()}).
     */
    public long maxLocalSize() {
        return Math.min(maxWorkGroupSize, maxWorkItemSizes.length == 0 ? 1 : maxWorkItemSizes[0]);
    }

    /** {@code CL_DRIVER_VERSION}. */
    public String driverVersion() {
        return driverVersion;
    }

    public int preferredFloatVectorWidth() {
        return preferredFloatVectorWidth;
    }

    /** Whether {@code -cl-fp32-correctly-rounded-divide-sqrt} is honoured (IEEE division, as in Java). */
    public boolean correctlyRoundedDivide() {
        return correctlyRoundedDivide;
    }

    /** {@code CL_DEVICE_AVAILABLE}: the device can take work now. */
    public boolean available() {
        return available;
    }

    /** {@code CL_DEVICE_COMPILER_AVAILABLE}: the device can build programs from OpenCL C source. */
    public boolean compilerAvailable() {
        return compilerAvailable;
    }

    /** {@code name (platform, OpenCL x.y)}: the line the trainer prints. */
    public String description() {
        return name + " (" + platformName + ", " + openclVersion() + ")";
    }

    @Override
    public String toString() {
        return "#" + index + " " + name + " (" + platformName + ")";
    }

    /** One row of {@code d2l-cl devices}. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%d  %-4s %s%n   platform: %s, %s, %s%n   compute units: %d, global memory: %s,"
                        + " max allocation: %s, local memory: %s, max work-group: %d (%s)",
                index, type, name, platformName, openclVersion(), openclCVersion, computeUnits,
                bytes(globalMemBytes), bytes(maxAllocBytes), bytes(localMemBytes), maxWorkGroupSize,
                java.util.Arrays.stream(maxWorkItemSizes).mapToObj(Long::toString)
                        .collect(java.util.stream.Collectors.joining("x")));
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }

    private String string(int param) {
        long[] size = new long[1];
        Cl.check(clGetDeviceInfo(id, param, 0, null, size), "clGetDeviceInfo", null);
        byte[] buffer = new byte[(int) size[0]];
        Cl.check(clGetDeviceInfo(id, param, buffer.length, Pointer.to(buffer), null), "clGetDeviceInfo", null);
        return cString(buffer);
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        Cl.check(clGetPlatformInfo(platform, param, 0, null, size), "clGetPlatformInfo", null);
        byte[] buffer = new byte[(int) size[0]];
        Cl.check(clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null),
                "clGetPlatformInfo", null);
        return cString(buffer);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private int intValue(int param) {
        int[] value = new int[1];
        Cl.check(clGetDeviceInfo(id, param, 4, Pointer.to(value), null), "clGetDeviceInfo", null);
        return value[0];
    }

    private long longValue(int param) {
        long[] value = new long[1];
        Cl.check(clGetDeviceInfo(id, param, 8, Pointer.to(value), null), "clGetDeviceInfo", null);
        return value[0];
    }

    private long[] sizeValues(int param, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(count, 1)).order(ByteOrder.nativeOrder());
        long[] size = new long[1];
        Cl.check(clGetDeviceInfo(id, param, buffer.capacity(), Pointer.to(buffer), size), "clGetDeviceInfo", null);
        int width = count > 0 && size[0] == 4L * count ? 4 : 8;
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = width == 4 ? buffer.getInt(4 * i) & 0xffffffffL : buffer.getLong(8 * i);
        }
        return values;
    }

    private long sizeValue(int param) {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        long[] size = new long[1];
        Cl.check(clGetDeviceInfo(id, param, 8, Pointer.to(buffer), size), "clGetDeviceInfo", null);
        return size[0] == 4 ? buffer.getInt(0) & 0xffffffffL : buffer.getLong(0);
    }
}
