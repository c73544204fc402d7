package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Csv#read}: numeric columns, the last the label, an optional header; every error names the line and column. */
class CsvTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private Dataset read(String text) throws IOException {
        return Csv.read(file(text));
    }

    private void refused(String text, String... parts) throws IOException {
        Path f = file(text);
        DataException e = assertThrows(DataException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), "'" + e.getMessage() + "' should start with the file");
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should name '" + part + "'");
        }
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no header           | 1,2,3\\n4,5,6\\n",
        "a header            | x1,x2,y\\n1,2,3\\n4,5,6\\n",
        "a quoted header     | \"x1\",\"x2\",\"y\"\\n1,2,3\\n4,5,6",
        "blank lines         | \\n\\nx1,x2,y\\n\\n1,2,3\\n   \\n4,5,6\\n\\n",
        "CRLF and spaces     | x1 , x2 , y\\r\\n 1 , 2 , 3 \\r\\n4,5,6\\r\\n",
        "other notations     | 1e0,0.2e1,+3.0\\n4.,5.000,6",
        "a byte-order mark   | \\ufeff1,2,3\\n4,5,6\\n",
        "a mark and a header | \\ufeffx1,x2,y\\n1,2,3\\n4,5,6\\n"
    })
    void readsFeaturesAndLabels(String what, String text) throws IOException {
        Dataset data = read(unescape(text));
        assertEquals(2, data.n(), what);
        assertEquals(2, data.d(), what);
        assertArrayEquals(new float[] {1, 2, 4, 5}, data.features(), 0f, what);
        assertArrayEquals(new float[] {3, 6}, data.labels(), 0f, what);
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\ufeff", "\ufeff");
    }

    @Test
    void readsManyRows() throws IOException {
        StringBuilder text = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 5000; i++) {
            text.append(i).append(',').append(-i).append(',').append(i * 0.5).append(',').append(i + 1).append('\n');
        }
        Dataset data = read(text.toString());
        assertEquals(5000, data.n());
        assertEquals(3, data.d());
        assertArrayEquals(new float[] {4999, -4999, 2499.5f}, data.row(4999), 0f);
        assertEquals(5000f, data.labels()[4999]);
    }

    /** Each bad file, and the fragments its one-line message must hold (file, line, column, the value, the rule). */
    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("a row with the wrong column count", "x1,x2,y\n1,2,3\n4,5\n", "line 3", "2 columns", "expected 3"),
                bad("a row with the wrong column count", "1,2,3\n4,5,6,7\n", "line 2", "4 columns", "expected 3"),
                bad("a cell that is not a number", "x1,x2,y\n1,2,3\n4,five,6\n", "line 3, column 2",
                        "'five' is not a number"),
                bad("a cell that is not a number", "1,2,3\n4,5,\n", "line 2, column 3", "'' is not a number"),
                bad("a cell that is not a number", "1,2,3\n4,5,6f\n", "line 2, column 3", "'6f' is not a number"),
                // A first line with numbers in it is data, never a header: a typo there is an error, not a lost row.
                bad("a first line with numbers is data", "1.0,2.o,3\n4,5,6\n", "line 1, column 2",
                        "'2.o' is not a number", "header"),
                bad("a first line with numbers is data", "x1,x2,2024\n1,2,3\n", "line 1, column 1",
                        "'x1' is not a number", "header"),
                bad("a value that is not finite", "1,2,3\nNaN,5,6\n", "line 2, column 1", "NaN", "finite"),
                bad("a value that is not finite", "1,2,3\n4,Infinity,6\n", "line 2, column 2", "Infinity", "finite"),
                bad("a value that is not finite", "1,2,3\n4,5,1e39\n", "line 2, column 3", "1e39", "finite"),
                bad("a file without data", "", "empty"),
                bad("a file without data", "\n\n  \n", "empty"),
                bad("a file without data", "x1,x2,y\n", "header but no data rows"),
                bad("a file without data", "1\n2\n", "line 1", "1 column", "at least 2"));
    }

    private static Arguments bad(String what, String text, String... parts) {
        return Arguments.of(what, text, parts);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badFiles")
    void aBadFileIsRefusedInOneLine(String what, String text, String[] parts) throws IOException {
        refused(text, parts);
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("missing.csv");
        DataException e = assertThrows(DataException.class, () -> Csv.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void aFolderInsteadOfAFile() {
        DataException e = assertThrows(DataException.class, () -> Csv.read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot be read"), e.getMessage());
    }

    @Test
    void csvRowsSizedByTheFirstPass() throws IOException {
        // Blank lines, CRLF and a header: the pre-count must match what the parser keeps.
        Path file = Files.writeString(dir.resolve("data.csv"), "x1,x2,y\r\n\r\n1,2,3\r\n  \n4,5,6\n7,8,9", StandardCharsets.UTF_8);
        assertEquals(3, Csv.countNonBlankLines(file) - 1);
        Dataset data = Csv.read(file);
        assertEquals(3, data.n());
        assertEquals(9f, data.labels()[2]);
    }
}
