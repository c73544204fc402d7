package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV as other programs write it (RFC 4180 quoting, gzip), and input that never ends or is not
 * text: read in one pass, refused in one line, never forever.
 */
class CsvFormatsTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aQuotedHeaderAsRWritesItNamesTheColumns() throws IOException {
        CsvTable t = CsvTable.read(csv("r.csv", "\"x1\",\"a \"\"b\"\"\",\"y\"\n\"1\",2,3\n4,\"5\",6\n"));
        assertEquals(List.of("x1", "a \"b\"", "y"), t.names());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.values(), 0f);
        assertEquals(List.of("x1", "a \"b\"", "y"), CsvTable.header(dir.resolve("r.csv")));
    }

    @Test
    void namesThatLookLikeNumbersAreAHeaderAndHexIsNotANumber() throws IOException {
        assertEquals(List.of("NaN", "Infinity", "y"), CsvTable.read(csv("a.csv", "NaN,Infinity,y\n1,2,3\n")).names());
        assertEquals(List.of("x", "1e5", "y"), CsvTable.read(csv("b.csv", "x,\"1e5\",y\n1,2,3\n")).names());
        DataException e = assertThrows(DataException.class, () -> Csv.read(csv("c.csv", "1,0x1p3\n2,3\n")));
        assertEquals(dir.resolve("c.csv") + " line 1, column 2: '0x1p3' is not a number (the line holds numbers too,"
                + " so it is read as data: a header has no numbers; quote a name that looks like one, \"1e5\")",
                e.getMessage());
    }

    @Test
    void gzipIsReadByItsMagicBytes() throws IOException {
        for (String name : new String[] {"data.csv.gz", "data-without-suffix.csv"}) {
            Path file = dir.resolve(name);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write("x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
            }
            Dataset data = Csv.read(file);
            assertEquals(2, data.n());
            assertArrayEquals(new float[] {2, 4}, data.labels(), 0f);
        }
    }

    @Test
    void binaryInputIsNotText() throws IOException {
        Path png = Files.write(dir.resolve("plot.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertEquals(png + ": is not text (it looks like a PNG image); a CSV file is expected",
                assertThrows(DataException.class, () -> Csv.read(png)).getMessage());
        Path zeros = Files.write(dir.resolve("zeros.csv"), "1,2\n3,4\n\0\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals(zeros + ": is not text (it looks like binary data: a zero byte at offset 8); a CSV file is"
                + " expected", assertThrows(DataException.class, () -> Csv.read(zeros)).getMessage());
    }

    @Test
    void endlessInputIsStoppedInOneLine() {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            DataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(DataException.class, () -> Csv.read(Path.of(device))));
            assertTrue(e.getMessage().startsWith(device + ": is not text") || e.getMessage().contains("longer than"),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        InputStream noLineEnds = new InputStream() {
            @Override
            public int read() {
                return '1';
            }
        };
        DataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DataException.class, () -> Csv.read(noLineEnds, "standard input")));
        assertEquals("standard input line 1: longer than " + Csv.MAX_LINE_CHARS + " characters; a CSV line of"
                + " numbers is far shorter (is this a CSV file?)", e.getMessage());
    }

    @Test
    void aFifoIsReadOnce() throws Exception {
        Path fifo = dir.resolve("fifo.csv");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, "x,y\n1,2\n3,4\n5,6\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        CsvTable t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CsvTable.read(fifo));
        writer.join();
        assertEquals(3, t.rows());
        Dataset data = Csv.read(new ByteArrayInputStream("1,2\n3,4\n".getBytes(StandardCharsets.UTF_8)), "stdin");
        assertEquals(2, data.n());
    }
}
