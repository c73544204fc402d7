package org.d2lcl.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.d2lcl.backend.Reference;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built programs kept as binaries: a second context builds from the binary and its kernel gives the
 * source-built kernel's bits; a binary the device refuses, or a file holding another build's key,
 * is rebuilt from source and replaced; other options are another binary; a cache that cannot be
 * written, or none, changes nothing but the time.
 */
class ProgramCacheTest {
    private static final String OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";
    private static final float[] P = {1f, -2.5f, 3.25f, 1e-3f, 7f};
    private static final float[] G = {0.5f, 0.25f, -1f, 3f, 1e-7f};

    @TempDir
    Path dir;

    /** sgd.cl built through {@code cache}: whether from its binary, and what the kernel gives. */
    private record Built(boolean fromCache, float[] p) {
    }

    private static Built sgd(ProgramCache cache, String options) {
        try (Context context = Context.create(TestDevice.get())) {
            context.programCache(cache);
            Program program = context.program("sgd.cl", options);
            float[] p = P.clone();
            try (Kernel k = program.kernel("sgd"); Buffer pb = context.floats(P.length);
                 Buffer gb = context.floats(G.length)) {
                pb.write(p);
                gb.write(G);
                k.arg(0, pb).arg(1, gb).arg(2, 0.03f).arg(3, 10).arg(4, P.length).launch(P.length, 1);
                pb.read(p);
            }
            return new Built(program.fromCache(), p);
        }
    }

    private static float[] expected() {
        float[] p = P.clone();
        Reference.sgd(p, G.clone(), 0.03f, 10, p.length);
        return p;
    }

    private List<Path> binaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
        }
    }

    @Test
    void aSecondContextBuildsFromTheBinaryWithTheSameBits() throws IOException {
        ProgramCache cache = ProgramCache.at(dir);
        Built first = sgd(cache, OPTIONS);
        assertFalse(first.fromCache(), "nothing cached yet: built from source");
        assertEquals(1, binaries().size(), "the binary is kept");
        Built second = sgd(cache, OPTIONS);
        assertTrue(second.fromCache(), "built from the kept binary");
        assertArrayEquals(expected(), first.p());
        assertArrayEquals(expected(), second.p());
        sgd(cache, OPTIONS + " -DUNUSED=1");
        assertEquals(2, binaries().size(), "other options: another binary");
    }

    @Test
    void aBinaryTheDeviceRefusesIsRebuiltAndReplaced() throws IOException {
        ProgramCache cache = ProgramCache.at(dir);
        sgd(cache, OPTIONS);
        Path binary = binaries().get(0);
        byte[] garbage = "not a program binary".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(binary, garbage);
        Built rebuilt = sgd(cache, OPTIONS);
        assertFalse(rebuilt.fromCache(), "a refused binary: built from source");
        assertArrayEquals(expected(), rebuilt.p());
        assertNotEquals(garbage.length, Files.size(binary), "and the binary replaced");
        assertTrue(sgd(cache, OPTIONS).fromCache(), "the replacement loads");
    }

    /**
     * A file under a build's name that holds another build's key (as two builds whose checksums
     * collide would) is not used: the build is from source, and the file then holds its own key.
     */
    @Test
    void aFileHoldingAnotherBuildsKeyIsNotUsed() throws IOException {
        ProgramCache cache = ProgramCache.at(dir);
        // Keys of one length, whose binaries the device would load alike: only the key tells them apart.
        sgd(cache, OPTIONS + " -DA=1");
        Path other = binaries().get(0);
        sgd(cache, OPTIONS + " -DB=1");
        Path own = binaries().stream().filter(f -> !f.equals(other)).findFirst().orElseThrow();
        Files.copy(other, own, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Built built = sgd(cache, OPTIONS + " -DB=1");
        assertFalse(built.fromCache(), "another build's key: built from source");
        assertArrayEquals(expected(), built.p());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(other), Files.readAllBytes(own)),
                "and the file replaced, with this build's key");
        assertTrue(sgd(cache, OPTIONS + " -DB=1").fromCache(), "the replacement loads");
    }

    @Test
    void aCacheThatCannotBeWrittenOrNoneChangesNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "in the folder's place");
        for (ProgramCache cache : new ProgramCache[] {ProgramCache.at(file.resolve("programs")), ProgramCache.at(null)}) {
            Built built = sgd(cache, OPTIONS);
            assertFalse(built.fromCache());
            assertArrayEquals(expected(), built.p());
        }
        assertEquals("in the folder's place", Files.readString(file));
        assertEquals(List.of(), binaries());
    }
}
