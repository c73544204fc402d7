package org.d2lcl.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command's wall time goes, phase by phase, for {@code --verbose}: each {@link #end} closes
 * the phase that began at the previous one (the first when this object was made), and
 * {@link #print} writes them on one line of stderr, after {@code start}: from the JVM's start to
 * this object's making (class loading, the command line's parsing).
 */
final class Phases {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final long madeMillis = System.currentTimeMillis();
    private long last = System.nanoTime();

    /** Ends the phase {@code name}, begun at the previous {@code end} (or at this object's making). */
    void end(String name) {
        long now = System.nanoTime();
        nanos.merge(name, now - last, Long::sum);
        last = now;
    }

    /** {@code d2l-cl: time: start 45 ms, device 180 ms, ...} on {@code err}. */
    void print(PrintWriter err) {
        long start = madeMillis - ManagementFactory.getRuntimeMXBean().getStartTime();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "d2l-cl: time: start %d ms", start));
        String sep = ", ";
        for (Map.Entry<String, Long> e : nanos.entrySet()) {
            line.append(sep).append(e.getKey()).append(String.format(Locale.ROOT, " %.0f ms", e.getValue() / 1e6));
            sep = ", ";
        }
        err.println(line);
        err.flush();
    }
}
