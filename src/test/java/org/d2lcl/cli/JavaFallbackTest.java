package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.d2lcl.opencl.OpenCl;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an OpenCL loader that finds no driver, {@code train} runs the chapter on the Java reference
 * backend and says so in one line on stderr that names the install command; {@code devices} says
 * the same on stdout. The child JVM's loader reads its drivers from an empty folder
 * ({@code OCL_ICD_VENDORS}), so this machine's device is out of its sight.
 */
class JavaFallbackTest {
    @TempDir
    Path dir;

    private ChildJvm.Result run(String... args) throws Exception {
        TestDevice.get(); // the loader itself must be there for the empty folder to mean "no driver"
        Path vendors = Files.createDirectories(dir.resolve("no-vendors"));
        Map<String, String> env = new HashMap<>();
        env.put("OCL_ICD_VENDORS", vendors.toString());
        env.put("D2LCL_DEVICE", null);
        return ChildJvm.run(Files.createTempDirectory(dir, args[0]), List.of(), Main.class, List.of(args), env, 120);
    }

    @Test
    void trainRunsOnJavaWithOneNoticeLine() throws Exception {
        ChildJvm.Result r = run("train", "--epochs", "3");
        assertEquals(0, r.exit(), r::story);
        assertEquals(List.of("d2l-cl: running on the Java reference backend: no OpenCL device found; to install one,"
                + " run: " + OpenCl.INSTALL_COMMAND), r.err().lines().toList(), r::story);
        List<String> out = r.out().lines().toList();
        assertEquals("device: Java reference backend (CPU, no OpenCL)", out.get(0), r::story);
        assertTrue(out.get(1).matches("epoch 1, loss \\d\\.\\d{6}"), r::story);
        float loss3 = Float.parseFloat(out.get(3).substring("epoch 3, loss ".length()));
        assertTrue(loss3 < 2e-4f, "epoch-3 loss " + loss3 + " should be < 2e-4\n" + r.story());
        assertTrue(out.get(4).startsWith("error in estimating w: ["), r::story);
    }

    @Test
    void devicesSaysWhatToInstall() throws Exception {
        ChildJvm.Result r = run("devices");
        assertEquals(0, r.exit(), r::story);
        assertEquals("no OpenCL device found; to install one, run: " + OpenCl.INSTALL_COMMAND,
                r.out().lines().findFirst().orElse(""), r::story);
        assertTrue(r.out().contains("java  the Java reference backend (--device java)"), r::story);
    }
}
