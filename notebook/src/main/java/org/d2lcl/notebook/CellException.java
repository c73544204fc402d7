package org.d2lcl.notebook;

import java.util.List;

/**
 * A cell that does not compile, or a snippet JShell refused: the message names the cell's line and
 * what javac said, and {@link #lines()} shows it under the cell's own text.
 */
public final class CellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    CellException(String message, List<String> lines) {
        super(message);
        this.lines = List.copyOf(lines);
    }

    /** The report as the notebook shows it, one line per entry. */
    public List<String> lines() {
        return lines;
    }
}
