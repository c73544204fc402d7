package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2lcl.cli.Main;
import org.d2lcl.data.NpyWriter;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A .npy file five times larger than the heap trains: a JVM with a 64 MiB heap ({@code -Xmx64m})
 * runs {@code train} on a 300 MiB file, which it maps and streams in chunks (its values exceed half
 * the heap), and learns the file's line. Only the permutation (4 bytes per example) and one chunk
 * are on the heap.
 */
class StreamLargeFileTest {
    static final int D = 15;
    static final int ROWS = 300 * (1 << 20) / (4 * (D + 1));
    static final long HEAP_MIB = 64;

    @TempDir
    Path dir;

    @Test
    void aFileFiveTimesTheHeapTrains() throws IOException {
        Path file = dir.resolve("large.npy");
        float[] trueW = new float[D];
        for (int j = 0; j < D; j++) {
            trueW[j] = j % 2 == 0 ? 1 + j / 8f : -0.5f;
        }
        float trueB = 0.25f;
        NpyWriter.write(file, D + 1, out -> {
            float[] x = new float[D];
            for (int i = 0; i < ROWS; i++) {
                float y = trueB;
                for (int j = 0; j < D; j++) {
                    // a fixed pattern in [-1, 1), different in every column: no random numbers to draw
                    x[j] = ((i * 7919L + j * 104729L) % 2048) / 1024f - 1;
                    y = Math.fma(x[j], trueW[j], y);
                    out.add(x[j]);
                }
                out.add(y);
            }
        });
        long bytes = Files.size(file);
        assertTrue(bytes > 4 * (HEAP_MIB << 20), "the file, " + bytes + " bytes, is over 4 heaps");

        ChildJvm.Result run = ChildJvm.run(dir, List.of("-XX:+UseSerialGC", "-Xmx" + HEAP_MIB + "m"), Main.class,
                List.of("train", "--data", file.toString(), "--device", Integer.toString(TestDevice.get().index()),
                        "--batch-size", "4096", "--lr", "0.1", "--epochs", "1", "--json"), 600);
        assertEquals(0, run.exit(), () -> "the run must fit a " + HEAP_MIB + " MiB heap\n" + run.story());
        assertTrue(run.err().contains(file + " streams in chunks of "), run::story);
        String result = run.out().lines().filter(line -> line.contains("\"type\":\"result\"")).findFirst().orElse("");
        assertTrue(result.contains("\"examples\":" + ROWS), run::story);
        double loss = Double.parseDouble(result.replaceAll(".*\"loss\":([-0-9.Ee]+).*", "$1"));
        assertTrue(loss < 1e-4, "the line is learned: loss " + loss + "\n" + run.story());
    }
}
