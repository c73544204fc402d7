package org.d2lcl.strict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.d2lcl.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The strict-device tier: every test tagged {@code strict} (each kernel, each variant the host can
 * choose, each training path, at small shapes) runs on Oclgrind, an OpenCL 1.2 simulator that
 * reports out-of-bounds accesses, data races, barrier divergence and API misuse, made the only
 * platform of a child JVM ({@code OCL_ICD_VENDORS}). It runs under the limits of several kinds of
 * device, from a large GPU's to a device of one work-item and 1 KiB of local memory: the host must
 * choose every geometry from them. Any diagnostic Oclgrind writes fails the test with the
 * diagnostic in the message. A missing Oclgrind is a failure, never a skip.
 *
 * <p>Oclgrind 21.10 builds with {@code -cl-opt-disable} here: at default optimisation it cannot
 * create kernels whose inlined helpers take {@code restrict} pointers (its own limit, not a fault of
 * the kernels). The bundle leaves this class out (tag {@code oclgrind}): it checks the device at hand.
 */
@Tag("oclgrind")
class StrictDeviceTest {
    /** Where Debian's {@code oclgrind} package puts its ICD library; {@code D2LCL_OCLGRIND_ICD} overrides. */
    static final List<Path> ICD_LIBRARIES = List.of(Path.of("/usr/lib/oclgrind/liboclgrind-rt-icd.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/oclgrind/liboclgrind-rt-icd.so"),
            Path.of("/usr/local/lib/liboclgrind-rt-icd.so"));

    static Path icdLibrary() {
        String set = System.getenv("D2LCL_OCLGRIND_ICD");
        Stream<Path> candidates = set != null && !set.isBlank() ? Stream.of(Path.of(set)) : ICD_LIBRARIES.stream();
        return candidates.filter(Files::isRegularFile).findFirst().orElseGet(() -> fail("Oclgrind is not installed"
                + " (looked for " + (set != null && !set.isBlank() ? set : ICD_LIBRARIES) + "); the strict-device tier"
                + " needs it: apt-get install -y oclgrind"));
    }

    /** The environment that makes Oclgrind, with these limits, the child's only OpenCL device. */
    static Map<String, String> oclgrind(Path dir, Path log, long maxWorkGroup, long localMemBytes) throws IOException {
        Path vendors = Files.createDirectories(dir.resolve("vendors"));
        Files.writeString(vendors.resolve("oclgrind.icd"), icdLibrary() + "\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("OCL_ICD_VENDORS", vendors.toString());
        env.put("OCLGRIND_DATA_RACES", "1");
        env.put("OCLGRIND_CHECK_API", "1");
        env.put("OCLGRIND_LOG", log.toString());
        env.put("OCLGRIND_MAX_WGSIZE", Long.toString(maxWorkGroup));
        env.put("OCLGRIND_LOCAL_MEM_SIZE", Long.toString(localMemBytes));
        env.put("OCLGRIND_BUILD_OPTIONS", "-cl-opt-disable");
        env.put("D2LCL_DEVICE", null);
        env.put("HOME", dir.toString()); // no kernel cache shared with other runs
        return env;
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static String head(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars) + "\n... (" + text.length() + " characters)";
    }

    @ParameterizedTest(name = "max work-group {0}, local memory {1} bytes: every strict test passes, no diagnostic")
    @CsvSource({"1024, 49152", "256, 49152", "64, 16384", "8, 1024", "1, 1024"})
    void everyKernelAndPathRunsCleanUnderTheseLimits(long maxWorkGroup, long localMemBytes, @TempDir Path dir)
            throws IOException {
        Path log = dir.resolve("oclgrind.log");
        Path all = dir.resolve("diagnostics.txt");
        ChildJvm.Result result = ChildJvm.run(dir, List.of("-Xmx1g"), StrictTier.class, List.of(all.toString()),
                oclgrind(dir, log, maxWorkGroup, localMemBytes), 900);
        String diagnostics = read(all);
        assertTrue(diagnostics.isBlank(), "Oclgrind reported:\n" + head(diagnostics, 6000) + "\n"
                + head(result.story(), 4000));
        assertEquals(0, result.exit(), "the strict tests failed on Oclgrind:\n" + head(result.story(), 12000));
        assertTrue(result.out().contains(" 0 failed"), result.story());
    }

    /** The tier can fail: a kernel with a data race is reported. */
    @Test
    void aDeliberatelyRacyKernelIsCaught(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("oclgrind.log");
        ChildJvm.Result result = ChildJvm.run(dir, List.of(), RacyKernel.class, List.of(),
                oclgrind(dir, log, 1024, 49152), 300);
        assertEquals(0, result.exit(), result.story());
        String diagnostics = read(log);
        assertTrue(diagnostics.contains("data race"), "Oclgrind reported no data race in racy.cl:\n"
                + head(diagnostics, 4000) + "\n" + result.story());
    }
}
