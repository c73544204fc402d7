package org.d2lcl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error is a terminal. Java has no {@code isatty}; on Linux the answer is where
 * {@code /proc/self/fd/2} points: a terminal device ({@code /dev/pts/N}, {@code /dev/ttyN}) rather
 * than a pipe or a file. Elsewhere the answer is no, so nothing is drawn that a log would keep.
 */
final class Terminals {
    private Terminals() {
    }

    /** True when file descriptor 2 is a terminal. */
    static boolean stderrIsTerminal() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** True for the path of a terminal device, as {@code /proc/self/fd/N} links to it. */
    static boolean isTerminalDevice(String target) {
        return target.matches("/dev/pts/\\d+") || target.matches("/dev/tty\\w*") || target.equals("/dev/console");
    }
}
