package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.d2lcl.backend.Backends;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;

/** {@code d2l-cl devices}: every device with its index, type, compute units, memory and OpenCL version. */
class DevicesCommandTest {
    @Test
    void listsEveryDevice() {
        TestDevice.get();
        List<ClDevice> devices = ClDevice.all();
        Cli run = Cli.run("devices");
        assertEquals(0, run.exit(), run.story());
        assertEquals("", run.err(), run.story());
        String out = run.out();
        for (ClDevice d : devices) {
            String entry = d.index() + "  " + String.format("%-4s", d.type()) + " " + d.name();
            assertTrue(out.contains(entry), "an entry '" + entry + "'\n" + run.story());
            for (String part : List.of("platform: " + d.platformName(), d.openclVersion(),
                    "compute units: " + d.computeUnits(), "global memory: ", "local memory: ", "max work-group: ")) {
                assertTrue(out.contains(part), "device " + d.index() + " should show '" + part + "'\n" + run.story());
            }
        }
        ClDevice chosen = Backends.defaultDevice(devices);
        int at = out.indexOf(chosen.index() + "  ");
        int marker = out.indexOf("(default)");
        assertTrue(marker > at, "the default device is marked\n" + run.story());
        assertFalse(out.indexOf("(default)", marker + 1) >= 0, "one default\n" + run.story());
        List<String> lines = run.outLines();
        assertEquals("java  the Java reference backend (--device java)", lines.get(lines.size() - 1), run.story());
    }
}
