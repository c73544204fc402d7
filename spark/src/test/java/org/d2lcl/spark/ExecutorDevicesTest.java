package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.d2lcl.backend.DeviceNotFoundException;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.OpenCl;
import org.junit.jupiter.api.Test;

/** Which device a task takes: Spark's GPU address k is the k-th OpenCL GPU; one device per executor, reused. */
class ExecutorDevicesTest {
    @Test
    void outsideATaskNoGpuIsAssigned() {
        assertNull(ExecutorDevices.assignedGpu());
    }

    @Test
    void addressKIsTheKthGpu() {
        List<ClDevice> all = OpenCl.isAvailable() ? ClDevice.all() : List.of();
        List<ClDevice> gpus = all.stream().filter(d -> d.type() == ClDevice.Type.GPU).toList();
        if (!gpus.isEmpty()) {
            assertEquals(String.valueOf(gpus.get(0).index()), ExecutorDevices.gpuSpec("0", all));
        }
        String address = String.valueOf(gpus.size());
        String has = gpus.isEmpty() ? "no OpenCL GPU" : gpus.size() + " OpenCL GPU(s), addresses 0 to " + (gpus.size() - 1);
        assertEquals("Spark assigned GPU address '" + address + "' to this task, but this executor has " + has
                + ": the discovery script must print the addresses of `d2l-cl devices`' GPUs in order"
                + " (spark/discover-gpus.sh)",
                assertThrows(DeviceNotFoundException.class, () -> ExecutorDevices.gpuSpec(address, all)).getMessage());
        assertThrows(DeviceNotFoundException.class, () -> ExecutorDevices.gpuSpec("gpu-a", all));
    }

    @Test
    void tasksOfOneExecutorShareItsDevice() {
        try (ExecutorDevices.Lease a = ExecutorDevices.lease("java")) {
            assertTrue(a.device().description().contains("Java"));
        }
        org.d2lcl.Device first, second;
        try (ExecutorDevices.Lease a = ExecutorDevices.lease("java")) {
            first = a.device();
        }
        try (ExecutorDevices.Lease b = ExecutorDevices.lease("java")) {
            second = b.device();
        }
        assertTrue(first == second, "the same device object, opened once");
    }
}
