package org.d2lcl.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A CSV file as a table of numbers with, when it has a header line, a name for each column. The
 * rules are {@link Csv}'s (comma-separated finite numbers, an optional header as the first line,
 * blank lines skipped), for any number of columns: a table is where the label column is chosen
 * ({@link #column(String)}, {@link #dataset(int)}) and where a model finds the features it predicts
 * from ({@link #select(int[])}).
 */
public final class CsvTable {
    private final String source;
    private final List<String> names;
    private final float[] values;
    private final int rows;
    private final int columns;

    private CsvTable(String source, List<String> names, float[] values, int rows, int columns) {
        this.source = source;
        this.names = names;
        this.values = values;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * Reads {@code file}, streaming it into one float array.
     *
     * @throws DataException naming the file, line and column of the first problem: a missing or
     *     unreadable file, no data rows, a row with the wrong number of columns, a cell that is not a
     *     finite number, a header with an empty or repeated name
     */
    public static CsvTable read(Path file) {
        return Csv.read(file, (in, rows) -> parse(in, file.toString(), rows));
    }

    /**
     * The table of a dataset {@link Csv#read} made: its feature columns, then its label, under
     * {@code names} (one per column, or none). No values are copied until a column is selected.
     *
     * @param source the file the dataset came from, as messages name it
     * @throws DataException when {@code names} is neither empty nor one per column
     */
    public static CsvTable of(Dataset data, List<String> names, String source) {
        int columns = data.d() + 1;
        if (!names.isEmpty() && names.size() != columns) {
            throw new DataException(names.size() + " column names for " + columns + " columns in " + source
                    + ": there must be one per column, or none");
        }
        int n = data.n();
        int d = data.d();
        float[] values = new float[n * columns];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.features(), i * d, values, i * columns, d);
            values[i * columns + d] = data.labels()[i];
        }
        return new CsvTable(source, List.copyOf(names), values, n, columns);
    }

    /**
     * The names on the header line of {@code file}, or an empty list when its first non-blank line
     * is data; the same rule as {@link Csv#read} and {@link #read}.
     *
     * @throws DataException when the file cannot be read, or the header has an empty or repeated name
     */
    public static List<String> header(Path file) {
        List<List<String>> found = new ArrayList<>(List.of(List.of()));
        try {
            Csv.read(file, (in, rows) -> Csv.rows(in, file.toString(), rows, 1, "numbers", new Csv.Rows() {
                @Override
                public void begin(String[] header, int line, int columns, long rows) {
                    if (header != null) {
                        found.set(0, header(header, file.toString(), line));
                    }
                    throw new HeaderRead();
                }

                @Override
                public void add(int column, int columns, float value) {
                }
            }));
        } catch (HeaderRead done) {
            return found.get(0);
        }
        return found.get(0);
    }

    /** Stops the reader once the first line is read. */
    private static final class HeaderRead extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeaderRead() {
            super(null, null, false, false);
        }
    }

    static CsvTable parse(BufferedReader in, String source) throws IOException {
        return parse(in, source, -1);
    }

    static CsvTable parse(BufferedReader in, String source, long nonBlankLines) throws IOException {
        List<List<String>> names = new ArrayList<>(List.of(List.of()));
        Csv.FloatList[] values = new Csv.FloatList[1];
        int columns = Csv.rows(in, source, nonBlankLines, 1, "numbers", new Csv.Rows() {
            @Override
            public void begin(String[] header, int line, int columns, long rows) {
                if (header != null) {
                    names.set(0, header(header, source, line));
                }
                values[0] = new Csv.FloatList(rows * columns);
            }

            @Override
            public void add(int column, int columns, float value) {
                values[0].add(value);
            }
        });
        float[] all = values[0].toArray();
        return new CsvTable(source, names.get(0), all, all.length / columns, columns);
    }

    private static List<String> header(String[] cells, String source, int lineNo) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < cells.length; c++) {
            String name = cells[c].strip();
            if (name.isEmpty()) {
                throw new DataException(source + " line " + lineNo + ", column " + (c + 1)
                        + ": an empty name in the header; every column needs a name");
            }
            if (names.contains(name)) {
                throw new DataException(source + " line " + lineNo + ", column " + (c + 1) + ": the name '" + name
                        + "' appears twice in the header; names must be unique");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** The file the table was read from, as error messages name it. */
    public String source() {
        return source;
    }

    /** The number of data rows (the header not counted). */
    public int rows() {
        return rows;
    }

    /** The number of columns. */
    public int columns() {
        return columns;
    }

    /** The column names from the header line; empty when the file has none. */
    public List<String> names() {
        return names;
    }

    /** True when the first line is a header of names. */
    public boolean hasHeader() {
        return !names.isEmpty();
    }

    /**
     * The column {@code spec} names: a name from the header, else a 0-based column index.
     *
     * @throws DataException when no column has that name or index; the message lists the names
     */
    public int column(String spec) {
        int found = find(names, columns, spec);
        if (found >= 0) {
            return found;
        }
        String s = spec.strip();
        if (s.matches("\\d{1,9}")) {
            throw new DataException("column index " + s + ": " + source + " has " + columns
                    + " columns, so the index must be between 0 and " + (columns - 1) + describeNames());
        }
        throw new DataException("column '" + s + "': " + source
                + (hasHeader() ? " has no column of that name" + describeNames()
                        : " has no header line, so a column is chosen by its 0-based index, 0 to " + (columns - 1)));
    }

    /**
     * The column {@code spec} names among {@code count} columns called {@code names} (possibly none):
     * a name, exact, else ignoring case, else a 0-based index below {@code count}; -1 when none.
     * {@link #column} and the command line's other column options choose a column this one way.
     */
    public static int find(List<String> names, int count, String spec) {
        String s = spec.strip();
        int byName = names.indexOf(s);
        if (byName >= 0) {
            return byName;
        }
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).equalsIgnoreCase(s)) {
                return c;
            }
        }
        return s.matches("\\d{1,9}") && Integer.parseInt(s) < count ? Integer.parseInt(s) : -1;
    }

    private String describeNames() {
        return hasHeader() ? "; the columns are " + String.join(", ", names) : "";
    }

    /**
     * The table as a regression dataset: column {@code label} the labels, every other column a
     * feature, in file order.
     *
     * @throws DataException when the table has fewer than two columns
     */
    public Dataset dataset(int label) {
        if (columns < 2) {
            throw new DataException(source + " has " + columns
                    + " column; at least 2 are needed (features and a label)");
        }
        checkColumn(label);
        int d = columns - 1;
        float[] x = new float[rows * d];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            int k = 0;
            for (int c = 0; c < columns; c++) {
                float v = values[i * columns + c];
                if (c == label) {
                    y[i] = v;
                } else {
                    x[i * d + k++] = v;
                }
            }
        }
        return new Dataset(x, y, rows, d);
    }

    /** The names of every column but {@code column}, in file order; empty without a header. */
    public List<String> namesWithout(int column) {
        checkColumn(column);
        if (!hasHeader()) {
            return List.of();
        }
        List<String> rest = new ArrayList<>(names);
        rest.remove(column);
        return List.copyOf(rest);
    }

    /** Columns {@code cols} of every row, row-major: {@code rows() x cols.length} values. */
    public float[] select(int[] cols) {
        for (int c : cols) {
            checkColumn(c);
        }
        float[] out = new float[rows * cols.length];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols.length; k++) {
                out[i * cols.length + k] = values[i * columns + cols[k]];
            }
        }
        return out;
    }

    private void checkColumn(int column) {
        if (column < 0 || column >= columns) {
            throw new DataException("column " + column + " of " + source + ": it must be between 0 and "
                    + (columns - 1));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d rows x %d columns%s", source, rows, columns,
                hasHeader() ? " " + names : "");
    }

    /** A copy of the values, row-major (for tests). */
    float[] values() {
        return Arrays.copyOf(values, values.length);
    }
}
