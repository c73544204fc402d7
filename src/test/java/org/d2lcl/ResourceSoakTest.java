package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing leaks: {@link ResourceSoak} creates and closes 10,000 trainers, runs 10^6 minibatch
 * steps and opens and closes 20 backends in a JVM of its own, whose heap is fixed and touched up
 * front so that its resident memory moves only with native memory. It must grow by less than
 * 32 MiB, and no OpenCL object of the trainers may stay open.
 */
class ResourceSoakTest {
    static final int TRAINERS = 10_000;
    static final long STEPS = 1_000_000;
    static final int BACKENDS = 20;
    static final long BUDGET_KIB = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void tenThousandTrainersAndAMillionStepsGrowResidentMemoryByLessThan32MiB() {
        int device = TestDevice.get().index();
        ChildJvm.Result run = ChildJvm.run(dir,
                List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"), ResourceSoak.class,
                List.of(Integer.toString(device), Integer.toString(TRAINERS), Long.toString(STEPS),
                        Integer.toString(BACKENDS)), 900);
        assertEquals(0, run.exit(), run::story);
        Map<String, String> report = new HashMap<>();
        for (String pair : run.out().strip().split(" ")) {
            String[] kv = pair.split("=");
            report.put(kv[0], kv[1]);
        }
        String story = "soak: " + run.out().strip();
        assertEquals(Integer.toString(TRAINERS), report.get("trainers"), story);
        assertTrue(Long.parseLong(report.get("steps")) >= STEPS, story);
        assertEquals("0", report.get("leaked_objects"), story);
        long growth = Long.parseLong(report.get("rss_after_kib")) - Long.parseLong(report.get("rss_before_kib"));
        assertTrue(growth < BUDGET_KIB, () -> "resident memory grew by " + growth + " KiB >= " + BUDGET_KIB
                + " KiB; " + story);
        System.out.println(story + " growth_kib=" + growth);
    }
}
