package org.d2lcl.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.Reader;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
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

    /** The name {@code --data -} gives standard input. */
    public static final String STDIN = "-";
    /** The longest line read, in characters: a file with no line ends is refused, not read forever. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** Reads standard input, in one pass, by {@link #read(Path)}'s rules. */
    public static Dataset read(InputStream in, String name) {
        return read(in, name, (r, rows) -> parse(r, name, rows));
    }

    /**
     * Opens {@code file} for {@code parser}, with the errors of a missing, unreadable or folder path.
     * A regular file is counted first (one pass over its bytes) to size the arrays; anything else
     * (a pipe, a FIFO, {@code -} for standard input) is read once. gzip is read transparently.
     */
    static <T> T read(Path file, Parser<T> parser) {
        if (file.toString().equals(STDIN)) {
            return read(System.in, "standard input", parser);
        }
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": cannot be read: it is a folder, not a CSV file");
        }
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            // A FileInputStream, not Files.newInputStream: the latter's available() seeks, which a FIFO cannot.
            long rows = Files.isRegularFile(file)
                    ? countNonBlankLines(text(new FileInputStream(file.toFile()), file.toString())) : -1;
            return parse(new FileInputStream(file.toFile()), file.toString(), rows, parser);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    static <T> T read(InputStream in, String name, Parser<T> parser) {
        try {
            return parse(in, name, -1, parser);
        } catch (IOException e) {
            throw new DataException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static <T> T parse(InputStream raw, String name, long rows, Parser<T> parser) throws IOException {
        // Bytes that are not UTF-8 become U+FFFD, so the cell that holds them is the one reported.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in = new BufferedReader(new LineLimit(new InputStreamReader(text(raw, name), utf8), name),
                1 << 16)) {
            return parser.parse(in, rows);
        }
    }

    /**
     * The text of a stream: gunzipped when it starts as gzip does, refused when it starts as another
     * binary format or holds a zero byte (as /dev/zero and /dev/urandom do), never printing the bytes.
     */
    static InputStream text(InputStream raw, String name) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        byte[] head = peek(in);
        if (TextFiles.magic(head, head.length) != null && head.length >= 2 && (head[0] & 0xff) == 0x1f
                && (head[1] & 0xff) == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            head = peek(in);
        }
        String magic = TextFiles.magic(head, head.length);
        if (magic != null) {
            in.close();
            throw new DataException(name + ": is not text (it looks like " + magic + "); a CSV file is expected");
        }
        return new NoZeroBytes(in, name);
    }

    private static byte[] peek(InputStream in) throws IOException {
        in.mark(16);
        byte[] head = in.readNBytes(16);
        in.reset();
        return head;
    }

    /** Refuses a zero byte, which no text holds, at whatever offset it comes. */
    private static final class NoZeroBytes extends FilterInputStream {
        private final String name;
        private long offset;

        NoZeroBytes(InputStream in, String name) {
            super(in);
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            for (int i = 0; i < n; i++) {
                if (b[off + i] == 0) {
                    throw new DataException(name + ": is not text (it looks like binary data: a zero byte at offset "
                            + (offset + i) + "); a CSV file is expected");
                }
            }
            offset += Math.max(n, 0);
            return n;
        }
    }

    /** Stops a line longer than {@link #MAX_LINE_CHARS}, so that input without line ends cannot fill the heap. */
    private static final class LineLimit extends FilterReader {
        private final String name;
        private long run;
        private long line = 1;

        LineLimit(Reader in, String name) {
            super(in);
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(char[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            for (int i = 0; i < n; i++) {
                if (b[off + i] == '\n') {
                    run = 0;
                    line++;
                } else if (++run > MAX_LINE_CHARS) {
                    throw new DataException(name + " line " + line + ": longer than " + MAX_LINE_CHARS
                            + " characters; a CSV line of numbers is far shorter (is this a CSV file?)");
                }
            }
            return n;
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
        long dataRows = 0;
        in.mark(MAX_LINE_CHARS + 2);
        boolean[] quoted = firstLineQuotes(in);
        in.reset();
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).setIgnoreSurroundingSpaces(false)
                .get();
        CSVParser parser = CSVParser.parse(in, format);
        java.util.Iterator<CSVRecord> records = parser.iterator();
        while (true) {
            int lineNo = (int) parser.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    break;
                }
                record = records.next();
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                if (e.getCause() instanceof DataException d) {
                    throw d;
                }
                Throwable c = e.getCause() == null ? e : e.getCause();
                String why = String.valueOf(c.getMessage());
                throw new DataException(name + " line " + lineNo + ": not valid CSV ("
                        + why.lines().findFirst().orElse(why) + ")", e);
            }
            String[] cells = record.values();
            if (lineNo == 1 && cells.length > 0 && cells[0].startsWith("\uFEFF")) {
                cells[0] = cells[0].substring(1);
            }
            if (cells.length == 1 && cells[0].isBlank()) {
                continue;
            }
            boolean first = columns < 0;
            if (first) {
                columns = cells.length;
                if (columns < minColumns) {
                    throw new DataException(name + " line " + lineNo + ": " + columns + " column"
                            + (columns == 1 ? "" : "s") + "; at least " + minColumns + " are needed (" + what + ")");
                }
                boolean header = isHeader(cells, quoted);
                long expected = nonBlankLines < 0 ? 1024 : Math.max(1, nonBlankLines - (header ? 1 : 0));
                if (header) {
                    for (int c = 0; c < cells.length; c++) {
                        cells[c] = cells[c].strip();
                    }
                }
                rows.begin(header ? cells : null, lineNo, columns, expected);
                if (header) {
                    continue;
                }
            } else if (isHeader(cells, null)) {
                throw new DataException(name + " line " + lineNo + ": '" + String.join(",", cells).strip()
                        + "' looks like a header, but a header may only be the first line");
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
     * Which cells of the first non-blank line are quoted ({@code "1e5"} is a name, not a number),
     * from its raw text; null when that line is beyond the mark.
     */
    private static boolean[] firstLineQuotes(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.replace("\uFEFF", "").isBlank());
        if (line == null) {
            return null;
        }
        java.util.List<Boolean> quoted = new java.util.ArrayList<>();
        boolean inQuotes = false;
        boolean cellStart = true;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (cellStart) {
                if (ch == ' ' || ch == '\t' || ch == '\uFEFF') {
                    continue;
                }
                quoted.add(ch == '"');
                inQuotes = ch == '"';
                cellStart = false;
                if (ch == ',') {
                    quoted.set(quoted.size() - 1, false);
                    cellStart = true;
                }
                continue;
            }
            if (ch == '"') {
                inQuotes = !inQuotes;
            } else if (ch == ',' && !inQuotes) {
                cellStart = true;
            }
        }
        if (cellStart) {
            quoted.add(false);
        }
        boolean[] out = new boolean[quoted.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = quoted.get(i);
        }
        return out;
    }

    /**
     * Lines with a non-whitespace byte, counted over the raw bytes: the same count
     * {@link String#isBlank()} gives for ASCII text with {@code \n} or {@code \r\n} line ends.
     */
    static long countNonBlankLines(Path file) throws IOException {
        return countNonBlankLines(text(Files.newInputStream(file), file.toString()));
    }

    static long countNonBlankLines(InputStream stream) throws IOException {
        long lines = 0;
        boolean content = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = stream) {
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

    /**
     * A header names its columns: not one of its cells is a number, and at least one is not blank.
     * A number here is a plain decimal one, unquoted: {@code NaN}, {@code Infinity}, hex floats and
     * a quoted {@code "1e5"} are names.
     *
     * @param quoted which cells were quoted, or null when unknown
     */
    static boolean isHeader(String[] cells, boolean[] quoted) {
        boolean text = false;
        for (int c = 0; c < cells.length; c++) {
            String s = cells[c].strip();
            boolean isQuoted = quoted != null && c < quoted.length && quoted[c];
            if (!isQuoted && isNumber(s)) {
                return false;
            }
            text |= !s.isEmpty();
        }
        return text;
    }

    static boolean isHeader(String[] cells) {
        return isHeader(cells, null);
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final java.util.regex.Pattern NON_FINITE =
            java.util.regex.Pattern.compile("[+-]?(NaN|nan|NAN|Infinity|infinity|inf|Inf|INF)");

    /** A plain decimal number, as CSV files write them: no hex ({@code 0x1p3}), no {@code f} or {@code d} suffix. */
    private static boolean isNumber(String s) {
        return DECIMAL.matcher(s).matches();
    }

    static float number(String cell, String name, int line, int column, boolean firstLine) {
        String s = cell.strip();
        if (s.indexOf('\uFFFD') >= 0) {
            throw new DataException(name + " line " + line + ", column " + column
                    + ": the bytes are not UTF-8 text; a CSV of numbers is expected");
        }
        if (NON_FINITE.matcher(s).matches()) {
            throw new DataException(name + " line " + line + ", column " + column + ": " + s
                    + " is not finite; every value must be finite");
        }
        if (!isNumber(s)) {
            throw new DataException(name + " line " + line + ", column " + column + ": '" + s
                    + "' is not a number" + (firstLine
                            ? " (the line holds numbers too, so it is read as data: a header has no numbers;"
                                    + " quote a name that looks like one, \"1e5\")"
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
