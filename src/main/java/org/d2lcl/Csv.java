package org.d2lcl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a regression dataset from CSV: comma-separated numeric columns, the last one the label,
 * and an optional header as the first line. The first line is a header when none of its cells is a
 * number; a first line with any number in it is data, so a typo there is reported, never dropped
 * as if it were a header. A header below the first line is an error. A UTF-8 byte-order mark is
 * ignored and blank lines are skipped.
 *
 * <p>Memory: a first pass over the bytes counts the lines, so the second, which parses, streams
 * each row straight into float arrays of the final size: the heap holds the data itself, 4 bytes
 * per value, and one line at a time.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * @throws DataException naming the file, the line and the column of the first problem: a missing
     *     or unreadable file, an empty file, a row with the wrong number of columns, a cell that is
     *     not a finite number, a header below the first line
     */
    public static Dataset read(Path file) {
        return read(file, (in, rows) -> parse(in, file.toString(), rows));
    }

    /** How a reader turns an opened file into its result, given the count of non-blank lines. */
    interface Parser<T> {
        T parse(BufferedReader in, long nonBlankLines) throws IOException;
    }

    /** Opens {@code file} for {@code parser}, with the errors of a missing, unreadable or folder path. */
    static <T> T read(Path file, Parser<T> parser) {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": cannot be read: it is a folder, not a CSV file");
        }
        try {
            long rows = countNonBlankLines(file);
            // Bytes that are not UTF-8 become U+FFFD, so the cell that holds them is the one reported.
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8),
                    1 << 16)) {
                return parser.parse(in, rows);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    static Dataset parse(BufferedReader in, String name) throws IOException {
        return parse(in, name, -1);
    }

    /**
     * @param nonBlankLines the number of non-blank lines, to size the arrays once; -1 when unknown
     *     (they then grow by doubling). Only a hint: the result never depends on it.
     */
    static Dataset parse(BufferedReader in, String name, long nonBlankLines) throws IOException {
        FloatList[] xy = new FloatList[2];
        int columns = rows(in, name, nonBlankLines, 2, "features and a label", new Rows() {
            @Override
            public void begin(String[] header, int line, int columns, long rows) {
                xy[0] = new FloatList(rows * (columns - 1));
                xy[1] = new FloatList(rows);
            }

            @Override
            public void add(int column, int columns, float value) {
                xy[column < columns - 1 ? 0 : 1].add(value);
            }
        });
        return new Dataset(xy[0].toArray(), xy[1].toArray(), xy[1].size, columns - 1);
    }

    /** Receives a file's rows from {@link #rows}. */
    interface Rows {
        /**
         * Called once, at the first non-blank line.
         *
         * @param header the header's cells, or null when the first line is data
         * @param line the line number of the first non-blank line
         * @param rows the expected number of data rows (a hint for sizing)
         */
        void begin(String[] header, int line, int columns, long rows);

        /** One value, row by row, column by column. */
        void add(int column, int columns, float value);
    }

    /**
     * The loop every CSV reader shares: skips blank lines and a byte-order mark, takes a first line
     * with no number as the header, refuses a header below it, ragged rows and cells that are not
     * finite numbers, naming the line and column. Returns the number of columns.
     *
     * @param what what the columns hold, for the message when there are fewer than {@code minColumns}
     */
    static int rows(BufferedReader in, String name, long nonBlankLines, int minColumns, String what, Rows rows)
            throws IOException {
        int columns = -1;
        int lineNo = 0;
        long dataRows = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            boolean first = columns < 0;
            if (first) {
                columns = cells.length;
                if (columns < minColumns) {
                    throw new DataException(name + " line " + lineNo + ": " + columns + " column"
                            + (columns == 1 ? "" : "s") + "; at least " + minColumns + " are needed (" + what + ")");
                }
                boolean header = isHeader(cells);
                long expected = nonBlankLines < 0 ? 1024 : Math.max(1, nonBlankLines - (header ? 1 : 0));
                rows.begin(header ? cells : null, lineNo, columns, expected);
                if (header) {
                    continue;
                }
            } else if (isHeader(cells)) {
                throw new DataException(name + " line " + lineNo + ": '" + line.strip() + "' looks like a header,"
                        + " but a header may only be the first line");
            }
            if (cells.length != columns) {
                throw new DataException(name + " line " + lineNo + ": " + cells.length + " columns, expected "
                        + columns + " as in the first line");
            }
            for (int c = 0; c < columns; c++) {
                rows.add(c, columns, number(cells[c], name, lineNo, c + 1, first));
            }
            dataRows++;
        }
        if (columns < 0) {
            throw new DataException(name + ": the file is empty; it needs rows of " + what);
        }
        if (dataRows == 0) {
            throw new DataException(name + ": a header but no data rows");
        }
        return columns;
    }

    /**
     * Lines with a non-whitespace byte, counted over the raw bytes: the same count
     * {@link String#isBlank()} gives for ASCII text with {@code \n} or {@code \r\n} line ends.
     */
    static long countNonBlankLines(Path file) throws IOException {
        long lines = 0;
        boolean content = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte c = buffer[i];
                    if (c == '\n') {
                        lines += content ? 1 : 0;
                        content = false;
                    } else if (!(c == ' ' || c >= 0x09 && c <= 0x0d || c >= 0x1c && c <= 0x1f)) {
                        content = true;
                    }
                }
            }
        }
        return lines + (content ? 1 : 0);
    }

    /** A header names its columns: not one of its cells is a number, and at least one is not blank. */
    static boolean isHeader(String[] cells) {
        boolean text = false;
        for (String cell : cells) {
            String s = cell.strip();
            if (isNumber(s)) {
                return false;
            }
            text |= !s.isEmpty();
        }
        return text;
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return !s.isEmpty() && !s.endsWith("f") && !s.endsWith("F") && !s.endsWith("d") && !s.endsWith("D");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static float number(String cell, String name, int line, int column, boolean firstLine) {
        String s = cell.strip();
        if (s.indexOf('\uFFFD') >= 0) {
            throw new DataException(name + " line " + line + ", column " + column
                    + ": the bytes are not UTF-8 text; a CSV of numbers is expected");
        }
        if (!isNumber(s)) {
            throw new DataException(name + " line " + line + ", column " + column + ": '" + s
                    + "' is not a number" + (firstLine
                            ? " (the line holds numbers too, so it is read as data: a header has no numbers)"
                            : ""));
        }
        float v = Float.parseFloat(s);
        if (!Float.isFinite(v)) {
            throw new DataException(name + " line " + line + ", column " + column + ": " + s
                    + " is not finite; every value must be finite");
        }
        return v;
    }

    /** A float array that starts at the expected size and doubles when that proves too small. */
    static final class FloatList {
        /** The most elements a Java array can hold. */
        static final int MAX = Integer.MAX_VALUE - 8;

        private float[] values;
        private int size;

        FloatList(long capacity) {
            values = new float[(int) Math.max(1, Math.min(capacity, MAX))];
        }

        void add(float v) {
            if (size == values.length) {
                if (size == MAX) {
                    throw new DataException("more than " + MAX + " values: the data does not fit in one Java array");
                }
                values = Arrays.copyOf(values, (int) Math.min(2L * size, MAX));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return size == values.length ? values : Arrays.copyOf(values, size);
        }
    }
}
