package org.d2lcl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a regression dataset from CSV: comma-separated numeric columns, the last one the label,
 * and an optional header as the first line (a first line with any non-numeric cell is a header).
 * The file is streamed line by line into growing float arrays, so memory stays near the size of the
 * data itself. Blank lines are skipped.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * @throws DataException naming the file, the line and the column of the first problem: a missing
     *     or unreadable file, an empty file, a row with the wrong number of columns, a cell that is
     *     not a finite number
     */
    public static Dataset read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    static Dataset parse(BufferedReader in, String name) throws IOException {
        int columns = -1;
        int lineNo = 0;
        FloatList x = new FloatList();
        FloatList y = new FloatList();
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (columns < 0) {
                columns = cells.length;
                if (columns < 2) {
                    throw new DataException(name + " line " + lineNo + ": " + columns
                            + " column; at least 2 are needed (features, then the label)");
                }
                if (isHeader(cells)) {
                    continue;
                }
            }
            if (cells.length != columns) {
                throw new DataException(name + " line " + lineNo + ": " + cells.length + " columns, expected "
                        + columns + " as in the first line");
            }
            for (int c = 0; c < columns; c++) {
                float v = number(cells[c], name, lineNo, c + 1);
                if (c < columns - 1) {
                    x.add(v);
                } else {
                    y.add(v);
                }
            }
        }
        if (columns < 0) {
            throw new DataException(name + ": the file is empty; it needs rows of features and a label");
        }
        if (y.size == 0) {
            throw new DataException(name + ": a header but no data rows");
        }
        return new Dataset(x.toArray(), y.toArray(), y.size, columns - 1);
    }

    static boolean isHeader(String[] cells) {
        for (String cell : cells) {
            if (!isNumber(cell.strip())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return !s.isEmpty() && !s.endsWith("f") && !s.endsWith("F") && !s.endsWith("d") && !s.endsWith("D");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static float number(String cell, String name, int line, int column) {
        String s = cell.strip();
        if (!isNumber(s)) {
            throw new DataException(name + " line " + line + ", column " + column + ": '" + s
                    + "' is not a number");
        }
        float v = Float.parseFloat(s);
        if (!Float.isFinite(v)) {
            throw new DataException(name + " line " + line + ", column " + column + ": " + s
                    + " is not finite; every value must be finite");
        }
        return v;
    }

    /** A growable float array, doubling like {@code ArrayList}. */
    static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return size == values.length ? values : Arrays.copyOf(values, size);
        }
    }
}
