package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.d2lcl.backend.Backends;
import org.d2lcl.backend.DeviceNotFoundException;
import org.d2lcl.backend.ShapeException;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Csv;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.BackendExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input table of docs/errors.md, API column: each row throws its own exception type, with a message
 * that names the value and the rule. (The CLI column is {@code cli.BadInputCliTest}.)
 */
class BadInputTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    @TempDir
    Path dir;

    /** Asserts {@code e}'s message holds every fragment, showing the whole message when not. */
    static void says(Throwable e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "the message should contain '" + fragment + "':\n" + e.getMessage());
        }
    }

    // Shapes

    @Test
    void labelsThatDoNotMatchTheRows() {
        says(assertThrows(DataException.class, () -> new Dataset(new float[6], new float[4], 3, 2)),
                "4 labels for 3 examples", "one per example");
    }

    @Test
    void featuresThatDoNotFillTheRows() {
        says(assertThrows(DataException.class, () -> new Dataset(new float[7], new float[3], 3, 2)),
                "7 feature values for 3 examples of 2 features", "exactly 6");
    }

    @Test
    void labelTensorThatDoesNotMatchTheFeatures() {
        try (Tensor x = backends.openCl().zeros(10, 2); Tensor y = backends.openCl().zeros(9, 1)) {
            says(assertThrows(ShapeException.class, () -> new DataIter(5, x, y)), "labels 9x1 for features 10x2",
                    "one label per example (10x1)");
        }
    }

    @Test
    void weightsThatDoNotMatchTheFeatures() {
        try (Tensor yHat = backends.openCl().zeros(10, 1); Tensor x = backends.openCl().zeros(10, 2); Tensor w = backends.openCl().zeros(3, 1);
             Tensor b = backends.openCl().zeros(1, 1)) {
            says(assertThrows(ShapeException.class, () -> D2l.linreg(yHat, x, w, b)), "linreg: X 10x2, w 3x1",
                    "one weight per feature (2x1)");
        }
    }

    @Test
    void matmulInnerDimensionsThatDiffer() {
        try (Tensor c = backends.openCl().zeros(4, 1); Tensor a = backends.openCl().zeros(4, 3); Tensor b = backends.openCl().zeros(2, 1)) {
            says(assertThrows(ShapeException.class, () -> backends.openCl().matmul(c, a, b, null)), "matmul: a 4x3 · b 2x1",
                    "inner dimensions must agree");
        }
    }

    @Test
    void emptyData() {
        says(assertThrows(DataException.class, () -> new Dataset(new float[0], new float[0], 0, 2)),
                "0 examples; at least 1 is needed");
    }

    // Hyper-parameters

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {0, -1})
    void batchSizeBelowOne(int batchSize) {
        says(assertThrows(ConfigException.class, () -> TrainConfig.DEFAULT.withBatchSize(batchSize)),
                "batch size " + batchSize, ">= 1");
    }

    @Test
    void batchSizeAboveTheExamples() {
        Dataset five = D2l.syntheticData(new float[] {1f}, 0f, 5, 1);
        says(assertThrows(ConfigException.class, () -> new Trainer(backends.openCl(), five, TrainConfig.DEFAULT)),
                "batch size 10", "between 1 and the number of examples, 5");
    }

    @Test
    void negativeEpochs() {
        says(assertThrows(ConfigException.class, () -> TrainConfig.DEFAULT.withEpochs(-1)), "epochs -1", ">= 0");
    }

    @ParameterizedTest(name = "lr {0}")
    @ValueSource(floats = {0f, -0.03f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void learningRateNotFinitePositive(float lr) {
        says(assertThrows(ConfigException.class, () -> TrainConfig.DEFAULT.withLr(lr)), "learning rate " + lr,
                "finite number > 0");
    }

    // Values

    @Test
    void nanFeatureNamesRowAndColumn() {
        float[] x = {1, 2, 3, 4, 5, Float.NaN};
        says(assertThrows(DataException.class, () -> new Dataset(x, new float[3], 3, 2)),
                "feature NaN in row 2, column 1", "must be finite");
    }

    @Test
    void infiniteLabelNamesRow() {
        float[] y = {0, Float.NEGATIVE_INFINITY, 0};
        says(assertThrows(DataException.class, () -> new Dataset(new float[6], y, 3, 2)),
                "label -Infinity in row 1", "must be finite");
    }

    // CSV

    private Path csv(String text) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void csvMissingFile() {
        Path file = dir.resolve("missing.csv");
        says(assertThrows(DataException.class, () -> Csv.read(file)), file + ": no such file");
    }

    @Test
    void csvUnreadableFolder() {
        says(assertThrows(DataException.class, () -> Csv.read(dir)), dir + ": cannot be read: it is a folder");
    }

    @Test
    void csvUnreadableBytes() throws IOException {
        Path file = dir.resolve("binary.csv");
        Files.write(file, new byte[] {'1', ',', '2', '\n', '3', ',', (byte) 0xff, (byte) 0xfe, '\n'});
        says(assertThrows(DataException.class, () -> Csv.read(file)), "line 2, column 2", "not UTF-8 text");
    }

    @Test
    void csvRaggedRow() throws IOException {
        Path file = csv("x1,x2,y\n1,2,3\n4,5\n");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "line 3", "2 columns, expected 3");
    }

    @Test
    void csvNonNumericCell() throws IOException {
        Path file = csv("1,2,3\n4,five,6\n");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "line 2, column 2", "'five' is not a number");
    }

    @Test
    void csvHeaderBelowTheFirstLine() throws IOException {
        Path file = csv("1,2,3\n4,5,6\nx1,x2,y\n7,8,9\n");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "line 3", "'x1,x2,y' looks like a header",
                "only be the first line");
    }

    @Test
    void csvEmptyFile() throws IOException {
        Path file = csv("");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "the file is empty");
    }

    @Test
    void csvHeaderOnly() throws IOException {
        Path file = csv("x1,x2,y\n\n");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "a header but no data rows");
    }

    @Test
    void csvNonFiniteCellNamesLineAndColumn() throws IOException {
        Path file = csv("x1,x2,y\n1,2,3\n4,5,NaN\n");
        says(assertThrows(DataException.class, () -> Csv.read(file)), "line 3, column 3", "NaN is not finite");
    }

    // Devices

    @Test
    void deviceIndexThatMatchesNoDevice() {
        int count = ClDevice.all().size();
        says(assertThrows(DeviceNotFoundException.class, () -> Backends.open(Integer.toString(count), s -> { })),
                "device index " + count, "between 0 and " + (count - 1), "the devices are: 0 = '");
    }

    @Test
    void deviceNameThatMatchesNoDevice() {
        says(assertThrows(DeviceNotFoundException.class, () -> Backends.open("no-such-gpu", s -> { })),
                "device 'no-such-gpu' matches no device", "the devices are: 0 = '", "or 'java'");
    }
}
