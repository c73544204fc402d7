package org.d2lcl.data;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a CSV file for {@link CsvLargeFileTest} in a JVM of its own, whose {@code -Xmx} bounds
 * the heap's peak during the load. Prints {@code n=... d=... data_kib=... heap_used_kib=...}, the
 * heap in use after the load and a full collection, with the dataset still held.
 */
public final class CsvLoad {
    private CsvLoad() {
    }

    public static void main(String[] args) {
        Dataset data = Csv.read(Path.of(args[0]));
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long dataBytes = 4L * (data.features().length + data.labels().length);
        System.out.printf(Locale.ROOT, "n=%d d=%d data_kib=%d heap_used_kib=%d%n", data.n(), data.d(),
                dataBytes / 1024, heap.getUsed() / 1024);
    }
}
