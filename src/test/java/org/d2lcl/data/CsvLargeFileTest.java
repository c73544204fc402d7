package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.d2lcl.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file of 10^6 rows loads streaming, with memory near the data's own size: in a JVM whose
 * whole heap is 32 MiB for 19.1 MiB of data (10^6 rows of 4 features and a label, 4 bytes each),
 * and holding no more than the data plus 2 MiB once loaded. (Growing arrays by doubling and
 * trimming at the end needs about 3x the data: 56 MiB here.)
 */
class CsvLargeFileTest {
    static final int ROWS = 1_000_000;
    static final int COLUMNS = 5;
    static final long HEAP_MIB = 32;
    static final long SLACK_KIB = 2 * 1024;

    @TempDir
    Path dir;

    /** Fixed-point values {@code -99.9999 .. 99.9999}, written without formatting machinery. */
    private static String cell(int v) {
        int a = Math.abs(v);
        String frac = Integer.toString(10_000 + a % 10_000).substring(1);
        return (v < 0 ? "-" : "") + a / 10_000 + "." + frac;
    }

    private static int[] row(Random rng) {
        int[] r = new int[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            r[c] = rng.nextInt(1_999_999) - 999_999;
        }
        return r;
    }

    @Test
    void aMillionRowsLoadInAHeapNearTheDataSize() throws IOException {
        Path file = dir.resolve("large.csv");
        Random rng = new Random(7);
        int[] first = null;
        int[] last = null;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("x1,x2,x3,x4,y\n");
            for (int i = 0; i < ROWS; i++) {
                int[] r = row(rng);
                first = first == null ? r : first;
                last = r;
                for (int c = 0; c < COLUMNS; c++) {
                    out.write(cell(r[c]));
                    out.write(c < COLUMNS - 1 ? ',' : '\n');
                }
            }
        }

        ChildJvm.Result run = ChildJvm.run(dir, List.of("-XX:+UseSerialGC", "-Xmx" + HEAP_MIB + "m"), CsvLoad.class,
                List.of(file.toString()), 300);
        assertEquals(0, run.exit(), () -> "the load must fit a " + HEAP_MIB + " MiB heap\n" + run.story());
        Map<String, Long> report = new HashMap<>();
        for (String pair : run.out().strip().split(" ")) {
            String[] kv = pair.split("=");
            report.put(kv[0], Long.parseLong(kv[1]));
        }
        assertEquals(ROWS, report.get("n"), run::story);
        assertEquals(COLUMNS - 1, report.get("d"), run::story);
        long data = report.get("data_kib");
        assertEquals((long) ROWS * COLUMNS * 4 / 1024, data);
        assertTrue(report.get("heap_used_kib") <= data + SLACK_KIB,
                () -> "the heap holds more than the data + " + SLACK_KIB + " KiB: " + run.out());

        Dataset loaded = Csv.read(file);
        for (int c = 0; c < COLUMNS - 1; c++) {
            assertEquals(Float.parseFloat(cell(first[c])), loaded.features()[c], "row 0, column " + c);
            assertEquals(Float.parseFloat(cell(last[c])), loaded.features()[(ROWS - 1) * 4 + c], "last row, column " + c);
        }
        assertEquals(Float.parseFloat(cell(last[COLUMNS - 1])), loaded.labels()[ROWS - 1], "last label");
    }
}
