package org.d2lcl.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.d2lcl.Device;
import org.d2lcl.backend.DeviceNotFoundException;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.OpenCl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The devices of one executor JVM: each is opened on first use and kept for every later task, then
 * closed when the JVM shuts down. Which device a task takes:
 *
 * <ul>
 *   <li>the one {@code setDevice} names (an index in {@code d2l-cl devices}, a name, or {@code java});
 *   <li>else, with Spark's GPU scheduling ({@code spark.task.resource.gpu.amount}), the GPU Spark
 *       assigned to the task: address {@code k} is the k-th OpenCL GPU of the executor's machine, as
 *       the discovery script of {@code docs/spark.md} numbers them;
 *   <li>else the library's default ({@link Device#best()}); where that is the Java backend for want
 *       of OpenCL, the executor says so in one log line.
 * </ul>
 *
 * A device is used by one task at a time ({@link Lease}): tasks running side by side in one executor
 * take turns on it, as they would on the device's one queue.
 */
final class ExecutorDevices {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDevices.class);
    private static final Map<String, Shared> OPEN = new HashMap<>();
    private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();
    private static boolean hookAdded;

    private ExecutorDevices() {
    }

    /** A device held by one task until {@link #close()}. */
    static final class Lease implements AutoCloseable {
        private final Shared shared;

        private Lease(Shared shared) {
            this.shared = shared;
            shared.lock.lock();
        }

        Device device() {
            return shared.device;
        }

        @Override
        public void close() {
            shared.lock.unlock();
        }
    }

    private record Shared(Device device, ReentrantLock lock) {
    }

    /** The device for the running task ({@code spec}: the estimator's {@code device}, or null), held until closed. */
    static Lease lease(String spec) {
        return new Lease(shared(spec != null ? spec : assignedGpu()));
    }

    private static synchronized Shared shared(String spec) {
        String key = spec == null ? "" : spec;
        Shared shared = OPEN.get(key);
        if (shared == null) {
            Device device = Device.open(spec, ExecutorDevices::notice);
            shared = new Shared(device, new ReentrantLock());
            OPEN.put(key, shared);
            LOG.info("d2l-cl: this executor runs the kernels on {}", device.description());
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorDevices::closeAll, "d2l-cl devices"));
            }
        }
        return shared;
    }

    /** The library's one-line notices: the fallback to Java once per executor, the others as they come. */
    private static void notice(String line) {
        if (!line.contains("Java reference backend") || FALLBACK_SAID.compareAndSet(false, true)) {
            LOG.warn(line);
        }
    }

    private static synchronized void closeAll() {
        OPEN.values().forEach(s -> s.device.close());
        OPEN.clear();
    }

    /**
     * The device spec of the GPU Spark assigned to the running task (its first address), or null
     * when the task has none (no GPU scheduling, or not in a task).
     */
    static String assignedGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return null;
        }
        Option<ResourceInformation> gpu = task.resources().get("gpu");
        if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
            return null;
        }
        return gpuSpec(gpu.get().addresses()[0], OpenCl.isAvailable() ? ClDevice.all() : List.of());
    }

    /** The device index of the GPU at Spark resource address {@code address}: the k-th GPU of {@code devices}. */
    static String gpuSpec(String address, List<ClDevice> devices) {
        List<ClDevice> gpus = devices.stream().filter(d -> d.type() == ClDevice.Type.GPU).toList();
        String a = address.strip();
        if (a.matches("\\d{1,9}") && Integer.parseInt(a) < gpus.size()) {
            return String.valueOf(gpus.get(Integer.parseInt(a)).index());
        }
        String has = gpus.isEmpty() ? "no OpenCL GPU"
                : gpus.size() + " OpenCL GPU(s), addresses 0 to " + (gpus.size() - 1);
        throw new DeviceNotFoundException("Spark assigned GPU address '" + address + "' to this task, but this executor"
                + " has " + has + ": the discovery script must print the addresses of `d2l-cl devices`' GPUs in order"
                + " (spark/discover-gpus.sh)");
    }
}
