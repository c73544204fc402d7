package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Npy}: float32 and float64 .npy files through a memory map; every bad file is one line naming it. */
class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file of version {@code major}.0 with {@code dict} as its header and {@code data} after it. */
    static byte[] npy(int major, String dict, byte[] data) {
        String header = dict + " ".repeat(Math.floorMod(-(dict.length() + 11 + (major == 1 ? 0 : 2)), 64)) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + shape
                + "), }";
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private Path file(byte[] bytes) throws IOException {
        Path f = dir.resolve("data.npy");
        Files.write(f, bytes);
        return f;
    }

    private static final float[] SIX = {1, 2, 3, 4.5f, -5, 6e-3f};

    @ParameterizedTest(name = "{0}")
    @CsvSource({"<f4, 1", ">f4, 1", "<f4, 2", "<f8, 1", "<f8, 3"})
    void readsFloat32AndFloat64(String descr, int major) throws IOException {
        byte[] data = descr.equals("<f8") ? doubles(1, 2, 3, 4.5, -5, 6e-3)
                : floats(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, SIX);
        try (Npy npy = Npy.open(file(npy(major, dict(descr, false, "2, 3"), data)), 2)) {
            assertEquals(2, npy.rows());
            assertEquals(3, npy.columns());
            assertArrayEquals(SIX, npy.values());
            Dataset all = npy.dataset(2);
            assertArrayEquals(new float[] {1, 2, 4.5f, -5}, all.features());
            assertArrayEquals(new float[] {3, 6e-3f}, all.labels());
            Dataset first = npy.dataset(0);
            assertArrayEquals(new float[] {2, 3, -5, 6e-3f}, first.features());
            assertArrayEquals(new float[] {1, 4.5f}, first.labels());
        }
    }

    @Test
    void float64IsRoundedToNearestFloat() throws IOException {
        double v = 0.1;
        try (Npy npy = Npy.open(file(npy(1, dict("<f8", false, "1, 2"), doubles(v, -v))), 2)) {
            assertArrayEquals(new float[] {(float) v, (float) -v}, npy.values());
        }
    }

    @Test
    void windowsOfWholeRowsReadAsOneMap() throws IOException {
        Random random = new Random(7);
        int rows = 37, cols = 5;
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path f = file(npy(1, dict("<f4", false, rows + ", " + cols), floats(ByteOrder.LITTLE_ENDIAN, values)));
        for (long window : new long[] {1, 20, 3 * 20, 7 * 20 + 3, 1 << 20}) {
            try (Npy npy = Npy.open(f, 2, window)) {
                assertArrayEquals(values, npy.values(), "windows of " + window + " bytes");
                for (int label : new int[] {cols - 1, 1}) {
                    RowSource source = npy.source(label);
                    int[] order = {36, 0, 5, 17, 18, 2};
                    float[] x = new float[order.length * (cols - 1)];
                    float[] y = new float[order.length];
                    source.gather(order, 1, 4, x, y, 2);
                    for (int r = 0; r < 4; r++) {
                        int i = order[1 + r];
                        assertEquals(values[i * cols + label], y[2 + r]);
                        for (int j = 0, k = 0; j < cols; j++) {
                            if (j != label) {
                                assertEquals(values[i * cols + j], x[(2 + r) * (cols - 1) + k++], "label " + label);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void writerWritesWhatTheReaderReads() throws IOException {
        Path f = dir.resolve("w.npy");
        long rows = NpyWriter.write(f, 3, out -> {
            for (float v : SIX) {
                out.add(v);
            }
        });
        assertEquals(2, rows);
        assertEquals(Npy.HEADER_BYTES + 6 * 4, Files.size(f));
        try (Npy npy = Npy.open(f, 2)) {
            assertEquals(2, npy.rows());
            assertArrayEquals(SIX, npy.values());
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(Files.readAllBytes(f), 0, Npy.HEADER_BYTES);
        String text = header.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), text);
        assertTrue(text.endsWith("\n"), "numpy's header ends in a newline");
    }

    private void refused(byte[] bytes, String... parts) throws IOException {
        Path f = file(bytes);
        DataException e = assertThrows(DataException.class, () -> {
            try (Npy npy = Npy.open(f, 2)) {
                npy.validate();
            }
        });
        assertTrue(e.getMessage().startsWith(f.toString()), "'" + e.getMessage() + "' should start with the file");
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should name '" + part + "'");
        }
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    private static byte[] good() {
        return npy(1, dict("<f4", false, "2, 3"), floats(ByteOrder.LITTLE_ENDIAN, SIX));
    }

    @Test
    void badMagicAndVersion() throws IOException {
        refused("x,y\n1,2\n".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
        refused(new byte[0], "not a .npy file");
        byte[] v4 = good();
        v4[6] = 4;
        refused(v4, "version 4.0", "1.0, 2.0 and 3.0");
        refused(java.util.Arrays.copyOf(good(), 9), "truncated", "preamble");
        refused(java.util.Arrays.copyOf(good(), 40), "truncated", "header is");
    }

    @Test
    void truncatedOrLongerDataThanTheShape() throws IOException {
        byte[] whole = good();
        refused(java.util.Arrays.copyOf(whole, whole.length - 1), "truncated", "(2, 3) of float32 needs 24 bytes",
                "has 23");
        refused(npy(1, dict("<f4", false, "3, 3"), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "truncated", "needs 36",
                "has 24");
        refused(npy(1, dict("<f4", false, "1, 3"), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "needs 12", "has 24",
                "the header does not match the data");
        refused(npy(1, dict("<f8", false, "2, 3"), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "truncated",
                "float64 needs 48");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"<i8", "<f2", "<c8", "|u1", "<U5", "O"})
    void wrongDtype(String descr) throws IOException {
        refused(npy(1, dict(descr, false, "2, 3"), new byte[48]), "dtype '" + descr + "'", "float32 ('<f4')");
    }

    @Test
    void fortranOrder() throws IOException {
        refused(npy(1, dict("<f4", true, "2, 3"), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "Fortran order",
                "C order", "np.ascontiguousarray");
    }

    @ParameterizedTest(name = "shape ({0})")
    @CsvSource(delimiter = '|', value = {"6,", "1, 2, 3", "''", "-2, 3", "2, x"})
    void notTwoDimensional(String shape) throws IOException {
        refused(npy(1, dict("<f4", false, shape), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "a 2-D array (rows, columns)");
    }

    @Test
    void tooFewColumnsOrNoRows() throws IOException {
        refused(npy(1, dict("<f4", false, "6, 1"), floats(ByteOrder.LITTLE_ENDIAN, SIX)), "1 column",
                "at least 2 are needed (features and a label)");
        refused(npy(1, dict("<f4", false, "0, 3"), new byte[0]), "no rows");
    }

    @Test
    void headerThatIsNotADict() throws IOException {
        refused(npy(1, "hello", new byte[0]), "not a dict");
        refused(npy(1, "{'fortran_order': False, 'shape': (2, 3), }", new byte[24]), "no valid 'descr'");
        refused(npy(1, "{'descr': '<f4', 'shape': (2, 3), }", new byte[24]), "no valid 'fortran_order'");
        refused(npy(1, "{'descr': '<f4', 'fortran_order': False}", new byte[24]), "no valid 'shape'");
    }

    @Test
    void valuesThatAreNotFinite() throws IOException {
        refused(npy(1, dict("<f4", false, "2, 3"), floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, Float.NaN, 6)),
                "row 1, column 1 (counting from 0): NaN is not finite; every value must be finite");
        refused(npy(1, dict("<f4", false, "2, 3"), floats(ByteOrder.LITTLE_ENDIAN, 1, 2, Float.NEGATIVE_INFINITY,
                4, 5, 6)), "row 0, column 2", "-Infinity is not finite");
        refused(npy(1, dict("<f8", false, "1, 2"), doubles(1e300, 1)), "row 0, column 0", "1.0E300 is beyond float32's range");
    }

    @Test
    void aGatherNamesTheValueThatIsNotFinite() throws IOException {
        Path f = file(npy(1, dict("<f4", false, "3, 2"), floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, Float.NaN)));
        try (Npy npy = Npy.open(f, 2)) {
            DataException e = assertThrows(DataException.class,
                    () -> npy.source(1).gather(new int[] {0, 2}, 0, 2, new float[2], new float[2], 0));
            assertEquals(f + " row 2, column 1 (counting from 0): NaN is not finite; every value must be finite",
                    e.getMessage());
        }
    }

    @Test
    void missingFileAndFolder() {
        DataException missing = assertThrows(DataException.class, () -> Npy.open(dir.resolve("none.npy"), 2));
        assertEquals(dir.resolve("none.npy") + ": no such file", missing.getMessage());
        DataException folder = assertThrows(DataException.class, () -> Npy.open(dir, 2));
        assertTrue(folder.getMessage().contains("it is a folder"), folder.getMessage());
    }

    @Test
    void convertParsesTheCsvOnce() throws IOException {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "x1,x2,y\n1,2,3\n4.5,-5,0.006\n");
        Path out = dir.resolve("out.npy");
        assertArrayEquals(new long[] {2, 3}, NpyWriter.fromCsv(csv, out));
        try (Npy npy = Npy.open(out, 2)) {
            assertArrayEquals(Csv.read(csv).features(), npy.dataset(2).features());
            assertArrayEquals(Csv.read(csv).labels(), npy.dataset(2).labels());
        }
    }

    @Test
    void convertRefusesABadCsvAndLeavesNoFile() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,3\n4,nan,6\n");
        Path out = dir.resolve("out.npy");
        DataException e = assertThrows(DataException.class, () -> NpyWriter.fromCsv(csv, out));
        assertEquals(csv + " line 2, column 2: nan is not finite; every value must be finite", e.getMessage());
        try (var left = Files.list(dir)) {
            assertEquals(java.util.List.of(csv), left.toList(), "no output, no temporary file");
        }
    }
}
