package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.d2lcl.backend.DeviceNotFoundException;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.opencl.OpenCl;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTest {
    @Test
    void javaIsTheReferenceBackend() {
        try (Device dev = Device.open("java")) {
            assertFalse(dev.isOpenCl());
            assertEquals("Java reference backend (CPU, no OpenCL)", dev.toString());
        }
    }

    @Test
    void anOpenClDeviceSaysWhatItIs() {
        try (Device dev = Device.of(new OpenClBackend(TestDevice.get()))) {
            assertTrue(dev.isOpenCl());
            assertEquals(TestDevice.get().description(), dev.description());
        }
    }

    /** {@code Device.best()} in a JVM of its own, printing what it chose. */
    static final class Best {
        public static void main(String[] args) {
            try (Device dev = Device.best()) {
                System.out.println(dev);
            }
        }
    }

    /** Falling back to Java, the library says so in one plain line on stderr, no logging framework's lines. */
    @Test
    void theFallbackToJavaIsOneLineOnStderr(@TempDir Path dir) throws Exception {
        TestDevice.get(); // the loader must be there for an empty vendors folder to mean "no driver"
        Map<String, String> env = new HashMap<>();
        env.put("OCL_ICD_VENDORS", Files.createDirectories(dir.resolve("no-vendors")).toString());
        env.put("D2LCL_DEVICE", null);
        ChildJvm.Result r = ChildJvm.run(dir, List.of(), Best.class, List.of(), env, 120);
        assertEquals(0, r.exit(), r::story);
        assertEquals(List.of("Java reference backend (CPU, no OpenCL)"), r.out().lines().toList(), r::story);
        assertEquals(List.of("d2l-cl: running on the Java reference backend: no OpenCL device found; to install one,"
                + " run: " + OpenCl.INSTALL_COMMAND), r.err().lines().toList(), r::story);
    }

    @Test
    void aNameThatMatchesNothingListsTheDevices() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class, () -> Device.open("no-such-device"));
        assertTrue(e.getMessage().startsWith("device 'no-such-device' matches no device name or platform; "),
                e.getMessage());
    }
}
