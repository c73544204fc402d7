package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Standardization;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


/** {@link LinearModel}: predictions against a float64 oracle, and the model file read back bit for bit. */
class LinearModelTest {
    private static Device openCl;
    private static Device java;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        openCl = Device.of(new OpenClBackend(TestDevice.get()));
        java = Device.java();
    }

    @AfterAll
    static void close() {
        if (openCl != null) {
            openCl.close();
        }
        java.close();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1, false), Arguments.of(1003, 7, false), Arguments.of(1003, 7, true),
                Arguments.of(97, 13, true), Arguments.of(4096, 2, true));
    }

    @ParameterizedTest(name = "{0} rows x {1} features, standardized {2}: |err| <= (d+1)·u·(Σ|x'w| + |b|)")
    @MethodSource("shapes")
    void predictIsLinregWithinTheMatmulBound(int n, int d, boolean standardized) {
        Random rng = new Random(31L * n + d);
        float[] x = Inputs.gaussian(rng, n * d);
        for (int i = 0; i < x.length; i++) {
            x[i] = 5 + 3 * x[i];
        }
        LinearModel model = LinearModel.of(Inputs.gaussian(rng, d), (float) rng.nextGaussian());
        if (standardized) {
            model = model.withStandardization(Standardization.fit(new Dataset(x, new float[n], n, d)));
        }
        // The oracle sees the features as the model's standardization rounds them to float.
        float[] xs = standardized ? model.standardization().orElseThrow().apply(x, n) : x;
        double[] bound = new double[n];
        double[] exact = Oracle.matmul(bound, xs, model.w(), new float[] {model.b()}, n, d, 1);
        String what = n + "x" + d + (standardized ? " standardized" : "");
        Compare.within("predict on " + openCl, exact, model.predict(openCl, x, n), bound, n);
        Compare.within("predict on " + java, exact, model.predict(java, x, n), bound, n);
    }

    @Test
    void inOriginalUnitsPredictsWhatTheStandardizedModelPredicts() {
        Random rng = new Random(8);
        int n = 200;
        int d = 4;
        float[] x = Inputs.gaussian(rng, n * d);
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 + 20 * x[i];
        }
        LinearModel model = LinearModel.of(Inputs.gaussian(rng, d), 3f)
                .withStandardization(Standardization.fit(new Dataset(x, new float[n], n, d)));
        LinearModel raw = model.inOriginalUnits();
        assertTrue(raw.standardization().isEmpty());
        float[] a = model.predict(java, x, n);
        float[] b = raw.predict(java, x, n);
        for (int i = 0; i < n; i++) {
            // Both are float32 evaluations of one affine function of x; they differ by rounding only.
            assertEquals(a[i], b[i], 1e-4 * (Math.abs(a[i]) + 100), "row " + i);
        }
        assertSame(raw, raw.inOriginalUnits(), "a model without standardization is already in original units");
    }

    @Test
    void theModelFileGivesBackTheSameBits() {
        Random rng = new Random(5);
        float[] w = {Float.MIN_VALUE, -Float.MAX_VALUE, 0.1f, -0.0f, 1e-40f, 16777217f, (float) Math.PI,
            Float.intBitsToFloat(0x3eaaaaab), (float) rng.nextGaussian(), 1e30f};
        double[] mean = new double[w.length];
        double[] std = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            mean[j] = rng.nextGaussian() * Math.pow(10, rng.nextInt(20) - 10);
            std[j] = Math.abs(rng.nextGaussian()) * Math.pow(10, rng.nextInt(20) - 10) + Double.MIN_VALUE;
        }
        mean[0] = 0.1 + 0.2;
        std[0] = Double.MIN_VALUE;
        LinearModel model = new LinearModel(w, -3.4e-7f, Standardization.of(mean, std),
                List.of("age", "we\"ird, \\name", "ünïcode", "d", "e", "f", "g", "h", "i", "j"), "price");
        Path file = dir.resolve("model.json");
        model.save(file);
        LinearModel back = LinearModel.load(file);
        Compare.bitwise("w after save and load", model.w(), back.w(), w.length);
        assertEquals(Float.floatToRawIntBits(model.b()), Float.floatToRawIntBits(back.b()), "b after save and load");
        Standardization s = back.standardization().orElseThrow();
        for (int j = 0; j < w.length; j++) {
            assertEquals(Double.doubleToRawLongBits(mean[j]), Double.doubleToRawLongBits(s.mean()[j]), "mean[" + j + "]");
            assertEquals(Double.doubleToRawLongBits(std[j]), Double.doubleToRawLongBits(s.std()[j]), "std[" + j + "]");
        }
        assertEquals(model.featureNames(), back.featureNames());
        assertEquals(model.labelName(), back.labelName());
        assertEquals(model.toJson(), back.toJson());
    }

    @Test
    void aLoadedModelPredictsTheSameBits() {
        Random rng = new Random(6);
        int n = 500;
        int d = 3;
        float[] x = Inputs.gaussian(rng, n * d);
        LinearModel model = LinearModel.of(Inputs.gaussian(rng, d), 1.5f)
                .withStandardization(Standardization.fit(new Dataset(x, new float[n], n, d)));
        Path file = dir.resolve("m.json");
        model.save(file);
        Compare.bitwise("predictions of the loaded model", model.predict(openCl, x, n),
                LinearModel.load(file).predict(openCl, x, n), n);
    }

    @Test
    void saveReplacesAnOldModelAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.json");
        LinearModel.of(new float[] {1f}, 2f).save(file);
        LinearModel.of(new float[] {3f}, 4f).save(file);
        assertEquals(3f, LinearModel.load(file).w()[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void featuresAreFoundByNameInAnyOrderBesideOtherColumns() throws IOException {
        LinearModel model = LinearModel.of(new float[] {1f, 10f}, 0.5f).withNames(List.of("a", "b"), "y");
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "y,b,c,a\n9,2,7,1\n9,4,7,3\n");
        CsvTable table = CsvTable.read(file);
        assertArrayEquals(new int[] {3, 1}, model.featureColumns(table));
        assertArrayEquals(new float[] {21.5f, 43.5f}, model.predict(java, table), 0f);
    }

    @Test
    void withoutNamesTheFileHoldsExactlyTheFeatures() throws IOException {
        LinearModel model = LinearModel.of(new float[] {1f, 10f}, 0f).withNames(List.of("a", "b"), "y");
        Path file = dir.resolve("p.csv");
        Files.writeString(file, "1,2\n3,4\n");
        assertArrayEquals(new float[] {21f, 43f}, model.predict(java, CsvTable.read(file)), 0f);
        Files.writeString(file, "1,2,5\n");
        DataException e = assertThrows(DataException.class, () -> model.featureColumns(CsvTable.read(file)));
        assertEquals(file + " has 3 columns; the model takes 2 features (a, b): give exactly those columns in that"
                + " order, or a header line naming them", e.getMessage());
        Files.writeString(file, "a,c\n1,2\n");
        e = assertThrows(DataException.class, () -> model.featureColumns(CsvTable.read(file)));
        assertEquals(file + " has no column b; the model's features are a, b and its columns are a, c", e.getMessage());
    }

    @Test
    void badModelFilesSayWhatIsWrong() throws IOException {
        Path file = dir.resolve("bad.json");
        String good = LinearModel.of(new float[] {1f, 2f}, 3f).toJson();
        String[][] cases = {
            {"{", "not a model: invalid JSON"},
            {"[1, 2]", "not a model: the file must hold one JSON object"},
            {good.replace("d2l-cl linear model", "other"), "\"format\" is \"other\": a model file says \"d2l-cl linear model\""},
            {good.replace("\"version\": 1", "\"version\": 2"), "\"version\" is 2: this library reads version 1"},
            {good.replace("\"w\": [1.0, 2.0]", "\"w\": [1.0, \"x\"]"), "\"w[1]\" is \"x\": it must be a number"},
            {good.replace("\"w\": [1.0, 2.0]", "\"w\": [1.0, 1e39]"), "w[1] = Infinity: model weights must be finite"},
            {good.replace("\"b\": 3.0", "\"bias\": 3.0"), "no \"b\" field: a model file must have one"},
            {good.replace("\"w\": [1.0, 2.0]", "\"w\": []"), "a model with no weights"},
            {good.replace("\"b\": 3.0", "\"b\": 3.0, \"features\": [\"a\"]"),
                "1 feature names for 2 weights: there must be one name per weight, or none"},
            {good.replace("\"b\": 3.0", "\"b\": 3.0, \"standardization\": {\"mean\": [0, 0], \"std\": [1, -1]}"),
                "standardization std[1] = -1.0: it must be a finite number > 0"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            DataException e = assertThrows(DataException.class, () -> LinearModel.load(file), c[0]);
            assertTrue(e.getMessage().startsWith(file + ": " + c[1]), "expected '" + c[1] + "' for\n" + c[0]
                    + "\nbut the message was: " + e.getMessage());
        }
        assertEquals(dir.resolve("none.json") + ": no such model file",
                assertThrows(DataException.class, () -> LinearModel.load(dir.resolve("none.json"))).getMessage());
    }

    @Test
    void modelFilesAreReadStrictlyInOneLine() throws IOException {
        Path file = dir.resolve("lenient.json");
        String good = LinearModel.of(new float[] {1f, 2f}, 3f).toJson();
        String[][] cases = {
            {good.replace("\"b\": 3.0", "'b': 3.0"), "not a model: invalid JSON"},
            {good.replace("\"b\": 3.0", "// the bias\n  \"b\": 3.0"), "not a model: invalid JSON"},
            {good + "{}", "not a model: more after the JSON object"},
            {good.replace("\"b\": 3.0", "\"b\": 3.0, \"b\": 4.0"), "\"b\" appears twice in one object"},
            {good.replace("\"b\": 3.0", "\"b\": 3.0, \"features\": [\"x1\", \"x1\"]"),
                "the feature name 'x1' appears twice (positions 0 and 1): names must be unique"},
            {"# d2l-cl checkpoint: linear regression after an epoch\nformat = 1\n", "not a model: invalid JSON"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            DataException e = assertThrows(DataException.class, () -> LinearModel.load(file), c[0]);
            assertTrue(e.getMessage().startsWith(file + ": " + c[1]), "expected '" + c[1] + "' for\n" + c[0]
                    + "\nbut the message was: " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line, no troubleshooting URL: " + e.getMessage());
        }
        assertThrows(DataException.class, () -> new LinearModel(new float[] {1f, 2f}, 0f, null,
                List.of("x1", "x1"), null));
    }

    @Test
    void aModelFileOverTheLimitOrBinaryIsRefused() throws IOException {
        Path big = dir.resolve("big.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(LinearModel.MAX_FILE_BYTES + 1L);
        }
        assertEquals(big + ": is larger than 64 MiB, the most a model file may be",
                assertThrows(DataException.class, () -> LinearModel.load(big)).getMessage());
        Path zeros = Files.write(dir.resolve("zeros.json"), new byte[100]);
        assertEquals(zeros + ": is not text (it looks like binary data: a zero byte at offset 0); expected a model"
                + " file", assertThrows(DataException.class, () -> LinearModel.load(zeros)).getMessage());
        DataException devZero = assertThrows(DataException.class, () -> LinearModel.load(Path.of("/dev/zero")));
        assertTrue(devZero.getMessage().startsWith("/dev/zero: is "), devZero.getMessage());
    }

    @Test
    void predictRefusesRowsOfTheWrongWidthOrNonFiniteValues() {
        LinearModel model = LinearModel.of(new float[] {1f, 2f}, 0f);
        assertEquals("3 feature values for 2 rows: a model of 2 features needs n >= 1 rows of 2",
                assertThrows(DataException.class, () -> model.predict(java, new float[3], 2)).getMessage());
        assertEquals("feature value NaN in row 1, column 0: every value must be finite",
                assertThrows(DataException.class,
                        () -> model.predict(java, new float[] {1, 2, Float.NaN, 4}, 2)).getMessage());
    }
}
