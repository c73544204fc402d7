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
 * source-built kernel's bits; a binary the device refuses is rebuilt from source and replaced; other
 * options are another binary; a cache that cannot be written, or none, changes nothing but the time.
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
