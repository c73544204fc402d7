package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.d2lcl.LinearModel;
import org.d2lcl.data.CsvTable;
import org.d2lcl.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


/** {@code train}'s outputs: text, {@code --quiet}, {@code --json}, and the real-data options. */
class TrainOutputTest {
    @TempDir
    Path dir;

    @Test
    void quietPrintsOnlyTheFinalLines() {
        Cli normal = Cli.run("train", "--device", "java");
        Cli quiet = Cli.run("train", "--device", "java", "--quiet");
        assertEquals(0, quiet.exit(), quiet.story());
        List<String> all = normal.outLines();
        assertEquals(all.subList(all.size() - 4, all.size()), quiet.outLines(), quiet.story());
        assertTrue(quiet.outLines().get(0).startsWith("error in estimating w: "), quiet.story());
        assertEquals("", quiet.err(), "no progress, no notices");
    }

    @Test
    void jsonIsOneObjectPerEpochAndOneAtTheEnd() {
        Cli cli = Cli.run("train", "--device", "java", "--json", "--epochs", "4", "--holdout", "0.2");
        assertEquals(0, cli.exit(), cli.story());
        List<String> lines = cli.outLines();
        assertEquals(5, lines.size(), cli.story());
        for (int e = 1; e <= 4; e++) {
            JsonObject o = JsonParser.parseString(lines.get(e - 1)).getAsJsonObject();
            assertEquals("epoch", o.get("type").getAsString());
            assertEquals(e, o.get("epoch").getAsInt());
            assertTrue(o.get("loss").getAsDouble() > 0, lines.get(e - 1));
            assertTrue(o.get("holdout_loss").getAsDouble() > 0, lines.get(e - 1));
            assertTrue(o.get("seconds").getAsDouble() >= 0, lines.get(e - 1));
            assertTrue(o.has("examples_per_second"), lines.get(e - 1));
        }
        JsonObject r = JsonParser.parseString(lines.get(4)).getAsJsonObject();
        assertEquals("result", r.get("type").getAsString());
        assertEquals("Java reference backend (CPU, no OpenCL)", r.get("device").getAsString());
        JsonObject params = r.getAsJsonObject("params");
        assertEquals(10, params.get("batch_size").getAsInt());
        assertEquals(0.03f, params.get("lr").getAsFloat());
        assertEquals(4, params.get("epochs").getAsInt());
        assertEquals(42, params.get("seed").getAsLong());
        assertEquals("epoch", params.get("kernels").getAsString(), "the default path");
        assertEquals("squared", params.get("loss").getAsString(), "the chapter's loss");
        assertEquals("sgd", params.get("optimizer").getAsString(), "the chapter's optimizer");
        assertEquals("after", params.get("epoch_loss").getAsString(), "the chapter's epoch loss");
        assertEquals(0.2, params.get("holdout").getAsDouble());
        assertEquals(800, r.get("examples").getAsInt());
        assertEquals(200, r.get("holdout_examples").getAsInt());
        JsonObject last = JsonParser.parseString(lines.get(3)).getAsJsonObject();
        assertEquals(last.get("loss").getAsDouble(), r.get("loss").getAsDouble(), 0.0, "the last epoch's loss");
        assertTrue(r.get("loss").getAsDouble() < 2e-4, lines.get(4));
        assertEquals(2, r.getAsJsonArray("w").size());
        assertTrue(Math.abs(r.getAsJsonArray("error_w").get(1).getAsDouble()) < 0.01, lines.get(4));
        assertTrue(Math.abs(r.get("error_b").getAsDouble()) < 0.01, lines.get(4));
        assertTrue(r.get("seconds").getAsDouble() >= 0, lines.get(4));
    }

    @Test
    void jsonWithNoEpochsIsTheResultAlone() {
        Cli cli = Cli.run("train", "--device", "java", "--json", "--epochs", "0");
        assertEquals(1, cli.outLines().size(), cli.story());
        JsonObject r = JsonParser.parseString(cli.outLines().get(0)).getAsJsonObject();
        assertTrue(r.get("loss").getAsDouble() > 1, "the loss of the initial parameters: " + cli);
    }

    @Test
    void realDataByLabelNameWithStandardizationHoldoutAndAModel() {
        Path csv = TestData.diabetes(dir);
        Path model = dir.resolve("model.json");
        Cli cli = Cli.run("train", "--device", "java", "--data", csv.toString(), "--label", "bmi", "--standardize",
                "--holdout", "0.25", "--lr", "0.01", "--epochs", "5", "--save-model", model.toString());
        assertEquals(0, cli.exit(), cli.story());
        List<String> lines = cli.outLines();
        assertTrue(lines.get(1).matches("standardize: mean \\[[-0-9.]+(, [-0-9.]+){9}]"), cli.story());
        assertTrue(lines.get(2).matches(" +std  \\[[0-9.]+(, [0-9.]+){9}]"), cli.story());
        assertEquals("holdout: 111 of 442 examples held out", lines.get(3), "round(0.25 * 442) = 111");
        for (int e = 1; e <= 5; e++) {
            assertTrue(lines.get(3 + e).matches("epoch " + e + ", loss [0-9.]+, holdout loss [0-9.]+"), cli.story());
        }
        assertEquals("model: " + model, lines.get(lines.size() - 1));
        LinearModel m = LinearModel.load(model);
        assertEquals("bmi", m.labelName().orElseThrow());
        assertEquals(List.of("age", "sex", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"), m.featureNames());
        assertTrue(m.standardization().isPresent());
        assertTrue(lines.get(1).contains(String.format(java.util.Locale.ROOT, "%f",
                m.standardization().orElseThrow().mean()[0])), "the mean printed is the mean kept");
    }

    @Test
    void theLabelByIndexIsTheSameColumnAsByName() {
        Path csv = TestData.diabetes(dir);
        String[] run = {"train", "--device", "java", "--data", csv.toString(), "--standardize", "-q"};
        Cli byName = Cli.run(with(run, "--label", "bmi"));
        Cli byIndex = Cli.run(with(run, "--label", "2"));
        assertEquals(byName.out(), byIndex.out());
        Cli last = Cli.run(run);
        Cli named = Cli.run(with(run, "--label", "progression"));
        assertEquals(last.out(), named.out(), "the last column is the default label");
        assertFalse(byName.out().equals(last.out()));
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void theStandardizedSyntheticRunStillFindsTheTrueParameters() {
        Cli cli = Cli.run("train", "--device", "java", "--standardize", "-q");
        // The error lines compare the true w, b with the learned ones in the raw features' units.
        for (String line : cli.outLines().subList(0, 2)) {
            for (String v : line.replaceAll(".*\\[|]", "").split(", ")) {
                assertTrue(Math.abs(Double.parseDouble(v)) < 0.01, cli.story());
            }
        }
    }

    @ParameterizedTest(name = "{0} -> exit 2: {1}")
    @CsvSource(delimiter = '|', value = {
        "--holdout 1 | d2l-cl: --holdout 1.0: must be a fraction >= 0 and < 1, e.g. 0.2",
        "--holdout -0.1 | d2l-cl: --holdout -0.1: must be a fraction >= 0 and < 1, e.g. 0.2",
        "--holdout 0.0001 | d2l-cl: --holdout: holdout 1.0E-4 of 1000 examples holds out 0: both parts need at least"
                + " one example, so it must hold out between 1 and 999",
        "--label price | d2l-cl: --label price: a label column is chosen in a --data file; the synthetic data's"
                + " label is y",
        "--json --quiet | d2l-cl: --json and --quiet together: choose one (--json already prints nothing but JSON)",
        "--holdout 0.5 --batch-size 600 | d2l-cl: --batch-size 600: must be between 1 and the number of training"
                + " examples, 500",
    })
    void badOptionsExitTwoWithOneLine(String args, String message) {
        Cli cli = Cli.run(("train --device java " + args).split(" "));
        assertEquals(2, cli.exit(), cli.story());
        assertEquals(message + "\n", cli.err(), cli.story());
        assertEquals("", cli.out());
    }

    @Test
    void anUnknownLabelListsTheColumns() {
        Path csv = TestData.diabetes(dir);
        Cli cli = Cli.run("train", "--device", "java", "--data", csv.toString(), "--label", "price");
        assertEquals(2, cli.exit(), cli.story());
        assertEquals("d2l-cl: --label: column 'price': " + csv + " has no column of that name; the columns are age,"
                + " sex, bmi, bp, s1, s2, s3, s4, s5, s6, progression\n", cli.err());
    }

    @Test
    void anUnwritableModelFileOrPlotFolderIsBadInputBeforeTraining() {
        Path csv = TestData.diabetes(dir);
        Path model = csv.resolve("model.json"); // under a file, so its folder cannot be made
        Cli cli = Cli.run("train", "--device", "java", "--save-model", model.toString());
        assertEquals(2, cli.exit(), cli.story());
        assertEquals("d2l-cl: --save-model " + model + ": " + csv + " is not a folder, so the folder " + csv
                + " cannot be made\n", cli.err(), cli.story());
        assertEquals("", cli.out(), "nothing trained");
        cli = Cli.run("train", "--device", "java", "--plot", csv.toString());
        assertEquals(2, cli.exit(), cli.story());
        assertEquals("d2l-cl: --plot " + csv + ": " + csv + " is not a folder, so the folder " + csv
                + " cannot be made\n", cli.err(), cli.story());
        cli = Cli.run("train", "--device", "java", "--save-model", dir.toString());
        assertEquals("d2l-cl: --save-model " + dir + ": is a folder, not a regular file; name a file\n", cli.err());
    }

    @Test
    void aDivergedModelIsNotSaved() {
        Path model = dir.resolve("m.json");
        Cli cli = Cli.run("train", "--device", "java", "--lr", "3", "--epochs", "3", "--save-model", model.toString());
        assertEquals(3, cli.exit(), cli.story());
        assertTrue(cli.err().startsWith("d2l-cl: training diverged at epoch 1"), cli.story());
        assertFalse(java.nio.file.Files.exists(model));
    }

    @Test
    void predictGivesWhatTheSavedModelPredicts() {
        Path csv = TestData.diabetes(dir);
        Path model = dir.resolve("m.json");
        Path out = dir.resolve("predictions.csv");
        assertEquals(0, Cli.run("train", "--device", "java", "--data", csv.toString(), "--standardize", "--lr",
                "0.01", "--epochs", "3", "--save-model", model.toString(), "-q").exit());
        Cli predict = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString(),
                "--device", "java");
        assertEquals(0, predict.exit(), predict.story());
        assertEquals("", predict.out());
        CsvTable written = CsvTable.read(out);
        assertEquals(List.of("prediction"), written.names());
        assertEquals(442, written.rows());
        float[] expected;
        try (org.d2lcl.Device java = org.d2lcl.Device.java()) {
            expected = LinearModel.load(model).predict(java, CsvTable.read(csv));
        }
        float[] actual = written.select(new int[] {0});
        org.d2lcl.testing.Compare.bitwise("predictions written by 'predict'", expected, actual, 442);
        Cli toStdout = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--device", "java");
        assertEquals(0, toStdout.exit(), toStdout.story());
        assertEquals(443, toStdout.outLines().size());
        assertEquals("prediction", toStdout.outLines().get(0));
    }

    @Test
    void predictRefusesAFileWithoutTheModelsFeatures() throws java.io.IOException {
        Path model = dir.resolve("m.json");
        LinearModel.of(new float[] {1f, 2f}, 0f).withNames(List.of("a", "b"), "y").save(model);
        Path csv = dir.resolve("x.csv");
        java.nio.file.Files.writeString(csv, "a,c\n1,2\n");
        Cli cli = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--device", "java");
        assertEquals(2, cli.exit(), cli.story());
        assertEquals("d2l-cl: " + csv + " has no column b; the model's features are a, b and its columns are a, c\n",
                cli.err());
        cli = Cli.run("predict", "--model", dir.resolve("none.json").toString(), "--data", csv.toString());
        assertEquals(2, cli.exit(), cli.story());
        assertEquals("d2l-cl: " + dir.resolve("none.json") + ": no such model file\n", cli.err());
    }
}
