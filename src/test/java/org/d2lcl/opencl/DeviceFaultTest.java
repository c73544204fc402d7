package org.d2lcl.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.d2lcl.D2l;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.kernels.Tuning;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Device faults reach the caller whole: an allocation the device cannot make is refused before
 * anything is queued, a kernel that does not build brings its log, any OpenCL error names the call,
 * the status and the device, and closing releases every object on the way out.
 */
class DeviceFaultTest {
    private ClDevice device;
    private Context context;

    @BeforeEach
    void open() {
        device = TestDevice.get();
        context = Context.create(device);
    }

    @AfterEach
    void close() {
        context.close();
    }

    private static void says(Throwable e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "the message should contain '" + fragment + "':\n" + e.getMessage());
        }
    }

    @Test
    void bufferLargerThanTheDeviceAllowsIsRefusedBeforeAnythingIsQueued() {
        long floats = device.maxAllocBytes() / Float.BYTES + 1;
        DeviceLimitException e = assertThrows(DeviceLimitException.class, () -> context.floats(floats));
        says(e, "a buffer of " + floats + " floats (" + floats * 4 + " bytes)",
                "exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + device.maxAllocBytes() + " bytes", "on " + device);
        assertEquals(0, context.openResources(), "nothing may be allocated");
        try (Buffer small = context.floats(3)) {
            small.write(new float[] {1, 2, 3});
            float[] back = new float[3];
            small.read(back);
            assertArrayEquals(new float[] {1, 2, 3}, back, "the context stays usable");
        }
    }

    @Test
    void trainerTooLargeForOneBufferIsRefusedBeforeAnyTensorIsMade() {
        try (OpenClBackend backend = new OpenClBackend(device)) {
            int n = 1_000_000;
            int d = (int) (device.maxAllocBytes() / Float.BYTES / n + 1); // X = n x d: more than one buffer holds
            DeviceLimitException e = assertThrows(DeviceLimitException.class,
                    () -> org.d2lcl.Capacity.check(backend, n, d, 10));
            says(e, "a buffer of " + (long) n * d + " floats", "CL_DEVICE_MAX_MEM_ALLOC_SIZE", device.toString());
            assertEquals(0, backend.context().openResources());
        }
    }

    @Test
    void buffersTogetherLargerThanTheDeviceMemoryAreRefused() {
        try (OpenClBackend backend = new OpenClBackend(device)) {
            // Each fits the largest allocation, but five exceed the device memory, since
            // CL_DEVICE_MAX_MEM_ALLOC_SIZE >= CL_DEVICE_GLOBAL_MEM_SIZE / 4.
            long m = device.maxAllocBytes() / Float.BYTES;
            DeviceLimitException e = assertThrows(DeviceLimitException.class,
                    () -> backend.checkCapacity(m, m, m, m, m));
            says(e, "5 buffers of " + 5 * m * Float.BYTES + " bytes in all exceed CL_DEVICE_GLOBAL_MEM_SIZE = "
                    + device.globalMemBytes() + " bytes", device.toString());
            assertEquals(0, backend.context().openResources());
        }
    }

    /**
     * The checks run in a JVM of their own: a driver's compiler may print its summary of the broken
     * kernel on the process's stderr, past {@code System.err} (PoCL: {@code 1 error generated.}),
     * and there it stays out of the test run's output.
     */
    @Test
    void kernelThatFailsToBuildCarriesTheBuildLog(@TempDir Path dir) {
        ChildJvm.Result r = ChildJvm.run(dir, List.of(), BrokenBuild.class, List.of(), 120);
        assertEquals(0, r.exit(), r::story);
        assertEquals(List.of(BrokenBuild.DONE), r.out().lines().toList(), r::story);
    }

    /** Builds test/broken.cl on the test device and checks what the caller gets; a failed check exits 1. */
    static final class BrokenBuild {
        static final String DONE = "the build failed with its log";

        public static void main(String[] args) {
            ClDevice device = TestDevice.get();
            try (Context context = Context.create(device)) {
                String options = Tuning.baseOptions(device);
                BuildException e = assertThrows(BuildException.class,
                        () -> context.program("test/broken.cl", options));
                says(e, "clBuildProgram(test/broken.cl) failed: CL_BUILD_PROGRAM_FAILURE on " + device,
                        "options: " + options, "build log:", "undeclared_value");
                assertTrue(e.log().contains("undeclared_value"), e.log());
                assertEquals("clBuildProgram(test/broken.cl)", e.call());
                assertEquals(0, context.openResources(), "the failed program is released");
            }
            System.out.println(DONE);
        }
    }

    @Test
    void kernelThatCannotBeCreatedNamesTheKernelTheProgramTheOptionsAndCarriesTheLog() {
        String options = Tuning.baseOptions(device) + " -DWG=8";
        Program program = context.program("sgd.cl", options);
        int before = context.openResources();
        BuildException e = assertThrows(BuildException.class, () -> program.kernel("sgd_typo"));
        says(e, "clCreateKernel(sgd_typo in sgd.cl) failed: CL_INVALID_KERNEL_NAME on " + device,
                "no __kernel function 'sgd_typo'", "options: " + options, "build log:");
        assertEquals("clCreateKernel(sgd_typo in sgd.cl)", e.call());
        assertEquals(before, context.openResources(), "no kernel object is left behind");
    }

    @Test
    void aBuildStillRunningAfterTheThresholdSaysSoOnceWithTheFeatureCount() {
        List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Context own = Context.create(device)) {
            own.onSlowBuild(notices::add, java.time.Duration.ZERO);
            // Options no build has used yet, so the driver's cache cannot answer at once.
            String options = Tuning.baseOptions(device) + " -DL=1 -DCH=8 -DAHEAD=0 -DD=37 -DUNUSED=" + System.nanoTime();
            own.program("linreg_step.cl", options);
            own.program("linreg_step.cl", options + " -DALSO_UNUSED");
        }
        assertEquals(List.of("d2l-cl: compiling kernels for d = 37 (first use; cached afterwards)"), notices);
    }

    @Test
    void aQuickBuildSaysNothing() {
        List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Context own = Context.create(device)) {
            own.onSlowBuild(notices::add, java.time.Duration.ofMinutes(5));
            own.program("sgd.cl", Tuning.baseOptions(device));
        }
        assertEquals(List.of(), notices);
    }

    @Test
    void releasedObjectsNeverReachOpenCl() {
        Program program = context.program("sgd.cl", Tuning.baseOptions(device));
        Kernel sgd = program.kernel("sgd");
        Buffer released = context.floats(4);
        released.close();
        assertThrows(IllegalStateException.class, () -> sgd.arg(0, released));
        assertThrows(IllegalStateException.class, released::clMem);
        sgd.close();
        assertThrows(IllegalStateException.class, () -> sgd.arg(2, 0.5f));
        assertThrows(IllegalStateException.class, () -> sgd.launch(1, 1));
        assertThrows(IllegalStateException.class, sgd::maxWorkGroupSize);
        try (Context other = Context.create(device)) {
            Program closedWithItsContext = other.program("sgd.cl", Tuning.baseOptions(device));
            other.close();
            assertThrows(IllegalStateException.class, () -> closedWithItsContext.kernel("sgd"));
        }
    }

    @Test
    void openClErrorNamesTheCallTheStatusAndTheDevice() {
        Kernel sgd = context.program("sgd.cl", Tuning.baseOptions(device)).kernel("sgd");
        // No arguments set: the runtime refuses the launch.
        ClException e = assertThrows(ClException.class, () -> sgd.launch(64, 64));
        assertEquals("clEnqueueNDRangeKernel(sgd)", e.call());
        assertEquals("CL_INVALID_KERNEL_ARGS", e.errorName());
        says(e, "clEnqueueNDRangeKernel(sgd) failed: CL_INVALID_KERNEL_ARGS on " + device);
    }

    @Test
    void anOpenClErrorReleasesTheBackendAndEverythingItOwnsOnTheWayOut() {
        OpenClBackend backend = new OpenClBackend(device);
        Context owned = backend.context();
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 1);
        ClException e = assertThrows(ClException.class, () -> {
            try (backend; Trainer trainer = new Trainer(backend, data, TrainConfig.DEFAULT)) {
                trainer.epoch();
                assertTrue(owned.openResources() > 10, "the trainer's buffers, programs and kernels exist");
                owned.program("sgd.cl", Tuning.baseOptions(device)).kernel("sgd").launch(64, 64);
            }
        });
        assertEquals("CL_INVALID_KERNEL_ARGS", e.errorName());
        assertEquals(0, owned.openResources(), "every buffer, kernel and program is released");
        says(assertThrows(IllegalStateException.class, () -> owned.floats(1)), "is closed");
    }
}
