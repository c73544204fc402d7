package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** Epoch e of 5, one second each, 1000 examples in 100 steps, loss 10^-e. */
    private static EpochStats epoch(int e) {
        return new EpochStats(e, 5, Math.pow(10, -e), Double.NaN, 1.0, e, 1000, 100);
    }

    @Test
    void aLongRunOnATerminalGetsABarWithEpochStepsLossAndSpeed() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(err), true, Progress.AFTER, 120)) {
            for (int e = 1; e <= 5; e++) {
                int epoch = e;
                p.printAbove(() -> new PrintWriter(out, true).println("epoch " + epoch));
                p.epoch(epoch(e));
            }
            assertTrue(p.shown(), "5 epochs of 1 s each are projected past " + Progress.AFTER);
        }
        String bar = err.toString();
        String last = bar.substring(bar.lastIndexOf('\r') + 1);
        assertTrue(last.matches("epoch 5/5 \\|[█=]+\\| loss 1\\.00e-05, step 500, 1\\.00k samples/s\n"), last.replace("\n", "\\n").replace("\033", "ESC"));
        assertEquals(121, last.length(), "the bar fills the 120 columns, then the line ends");
        assertTrue(bar.contains("\r\033[K"), "the bar is cleared before lines are printed above it: " + bar);
        assertEquals("epoch 1\nepoch 2\nepoch 3\nepoch 4\nepoch 5\n", out.toString());
    }

    @Test
    void aNarrowTerminalKeepsTheLossAndTheTimeLeftFirst() {
        Progress.Renderer r = new Progress.Renderer(false, () -> null);
        String line = r.render(2, 5, Duration.ofSeconds(4), epoch(2), 48);
        assertEquals("epoch 2/5 |====>      | loss 0.0100, ETA 0:00:06", line);
        line = r.render(2, 5, Duration.ofSeconds(4), epoch(2), 70);
        assertEquals("epoch 2/5 |======>         | loss 0.0100, 1.00k samples/s, ETA 0:00:06", line);
        line = r.render(2, 5, Duration.ofSeconds(4), epoch(2), 100);
        assertEquals(100, line.length());
        assertTrue(line.endsWith("| loss 0.0100, step 200, 1.00k samples/s, ETA 0:00:06"), line);
        assertEquals("epoch 0/5 |          |", r.render(0, 5, Duration.ZERO, null, 22), "before the first epoch");
    }

    @Test
    void noBarWhenStderrIsNotATerminal() {
        StringWriter err = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(err), false, Progress.AFTER, 120)) {
            for (int e = 1; e <= 5; e++) {
                p.epoch(epoch(e));
            }
            assertFalse(p.shown());
        }
        assertEquals("", err.toString());
    }

    @Test
    void noBarForAShortRun() {
        StringWriter err = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(err), true, Duration.ofSeconds(10), 120)) {
            for (int e = 1; e <= 5; e++) {
                p.epoch(epoch(e));
            }
            assertFalse(p.shown(), "5 epochs of 1 s are not longer than 10 s");
        }
        assertEquals("", err.toString());
    }

    @Test
    void humanNumbers() {
        assertEquals("999", Progress.human(999));
        assertEquals("1.00k", Progress.human(999.5));
        assertEquals("1.23M", Progress.human(1_234_567));
        assertEquals("?", Progress.human(Double.POSITIVE_INFINITY));
    }

    @Test
    void terminalsAreTtyAndPtyDevicesNotPipesOrFiles() {
        assertTrue(Terminals.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminals.isTerminalDevice("/dev/tty1"));
        assertFalse(Terminals.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminals.isTerminalDevice("/tmp/train.log"));
        assertFalse(Terminals.isTerminalDevice("/dev/null"));
        // The test JVM's stderr is a pipe to the build tool, so a run in the test suite draws no bar.
        assertFalse(Terminals.stderrIsTerminal());
    }
}
