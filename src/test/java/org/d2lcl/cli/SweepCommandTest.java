package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code d2l-cl sweep}: the run (15 runs of lr x batch size, the table and the plot), each
 * run's JSON equal to what {@code train --json} prints for it alone, the sweep over the number of
 * examples and its plot of the errors, divergence as a row of the table, and every bad element of
 * a list answered with exit 2 and one line naming it as typed.
 */
class SweepCommandTest {
    @TempDir
    Path dir;

    private static String device() {
        return Integer.toString(TestDevice.get().index());
    }

    /** The sweep on the default OpenCL device: 15 rows, the table's columns, the figure. */
    @Test
    void fifteenRunsOfLrAndBatchSizeWithTheirPlot() throws IOException {
        Path plots = dir.resolve("plots");
        Cli run = Cli.run("sweep", "--lr", "0.001,0.003,0.01,0.03,0.1", "--batch-size", "1,10,100", "--plot",
                plots.toString(), "--device", device());
        assertEquals(0, run.exit(), run.story());
        assertEquals("", run.err(), run.story());
        List<String> lines = run.outLines();
        assertEquals(1 + 1 + 1 + 15 + 1 + 1, lines.size(), run.story());
        assertEquals("device: " + TestDevice.get().description(), lines.get(0), run.story());
        assertEquals("sweep: 15 runs over lr x batch-size; epochs 3, seed 42, init normal, loss squared, optimizer sgd,"
                + " examples 1000", lines.get(1), run.story());
        assertTrue(lines.get(2).matches(" *lr +batch-size +final loss +\\|true_w - w\\| +true_b - b +diverged +seconds"),
                run.story());
        String[] lrs = {"0.001", "0.003", "0.01", "0.03", "0.1"};
        String[] sizes = {"1", "10", "100"};
        for (int i = 0; i < 15; i++) {
            String[] cells = lines.get(3 + i).strip().split(" +");
            assertEquals(lrs[i / 3], cells[0], run.story());
            assertEquals(sizes[i % 3], cells[1], run.story());
            assertEquals("no", cells[5], "the chapter's data does not diverge at these rates\n" + run.story());
        }
        assertTrue(lines.get(18).startsWith("trained: 15 runs, 1 launch per epoch in "), run.story());
        Path png = plots.resolve("sweep-loss.png");
        assertEquals("plot: " + png, lines.get(19), run.story());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a PNG");
        assertTrue(image.getWidth() > 400 && image.getHeight() > 300, image.getWidth() + "x" + image.getHeight());
        assertFalse(Files.exists(plots.resolve("sweep-error.png")), "no sweep over the number of examples");
    }

    /**
     * Each run's JSON, on OpenCL and the Java backend, is what {@code train --json} prints for it:
     * the losses, w and b, the same doubles and floats.
     */
    @ParameterizedTest(name = "Java backend {0}: each run of the sweep is train's run")
    @ValueSource(booleans = {false, true})
    void eachRunIsWhatTrainPrints(boolean java) {
        String dev = java ? "java" : device();
        Cli sweep = Cli.run("sweep", "--json", "--lr", "0.03,0.1", "--batch-size", "10,7", "--loss", "squared,huber:0.5",
                "--epochs", "2", "--device", dev);
        assertEquals(0, sweep.exit(), sweep.story());
        List<JsonObject> objects = sweep.outLines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .toList();
        assertEquals(9, objects.size(), sweep.story());
        JsonObject summary = objects.get(8);
        assertEquals("sweep", summary.get("type").getAsString());
        assertEquals(8, summary.get("runs").getAsInt());
        assertEquals("8 runs, 2 launches per epoch", summary.get("schedule").getAsString(), sweep.story());
        for (JsonObject run : objects.subList(0, 8)) {
            assertEquals("run", run.get("type").getAsString());
            JsonObject p = run.getAsJsonObject("params");
            String loss = p.get("loss").getAsString();
            Cli train = Cli.run("train", "--json", "--lr", p.get("lr").getAsString(), "--batch-size",
                    p.get("batch_size").getAsString(), "--loss", loss,
                    "--epochs", "2", "--device", dev);
            assertEquals(0, train.exit(), train.story());
            List<String> lines = train.outLines();
            JsonObject result = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
            JsonArray losses = run.getAsJsonArray("losses");
            for (int e = 0; e < 2; e++) {
                double alone = JsonParser.parseString(lines.get(e)).getAsJsonObject().get("loss").getAsDouble();
                assertEquals(alone, losses.get(e).getAsDouble(), 0.0, "epoch " + (e + 1) + " of " + run);
            }
            assertEquals(result.get("w"), run.get("w"), run.toString());
            assertEquals(result.get("b"), run.get("b"), run.toString());
            assertEquals(result.get("error_w"), run.get("error_w"), run.toString());
            assertFalse(run.get("diverged").getAsBoolean());
        }
    }

    /** The chapter's exercise over the amount of data: the errors fall with n, and their plot is written. */
    @Test
    void aSweepOverTheExamplesPlotsTheErrorsAgainstN() throws IOException {
        Cli run = Cli.run("sweep", "--examples", "100,10000", "--epochs", "10", "--json", "--plot", dir.toString(),
                "--device", "java");
        assertEquals(0, run.exit(), run.story());
        List<String> lines = run.outLines();
        JsonObject small = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        JsonObject large = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertTrue(Math.abs(large.get("error_b").getAsDouble()) < Math.abs(small.get("error_b").getAsDouble()),
                run.story());
        JsonArray files = JsonParser.parseString(lines.get(2)).getAsJsonObject().getAsJsonArray("plots");
        assertEquals(2, files.size(), run.story());
        assertEquals(dir.resolve("sweep-error.png").toString(), files.get(1).getAsString());
        assertNotNull(ImageIO.read(dir.resolve("sweep-error.png").toFile()));
    }

    /** A diverged run is a row of the table with the epoch it diverged in, not a failure: exit 0. */
    @Test
    void aDivergedRunIsARow() {
        Cli run = Cli.run("sweep", "--lr", "0.03,3", "--quiet", "--device", "java");
        assertEquals(0, run.exit(), run.story());
        List<String> lines = run.outLines();
        assertEquals(3, lines.size(), "--quiet: the table alone\n" + run.story());
        assertTrue(lines.get(1).contains(" no "), run.story());
        assertTrue(lines.get(2).matches(" *3 +- +.*epoch 1 .*"), "lr 3 diverges in epoch 1, as train says\n"
                + run.story());
        Cli train = Cli.run("train", "--lr", "3", "--device", "java");
        assertEquals(Main.DIVERGED, train.exit(), train.story());
        assertTrue(train.err().contains("diverged at epoch 1 "), train.story());
    }

    static Stream<Arguments> badElements() throws IOException {
        Path file = Files.createTempFile("d2l-cl-sweep", ".txt");
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(List.of("--lr", "0.1,abc"), "--lr abc (in 0.1,abc): 'abc' is not a number"));
        cases.add(Arguments.of(List.of("--lr", "0.1,-1"), "--lr -1 (in 0.1,-1): must be a finite number > 0"));
        cases.add(Arguments.of(List.of("--lr", "0"), "--lr 0: must be a finite number > 0"));
        cases.add(Arguments.of(List.of("--lr", "0.1,,0.3"), "--lr 0.1,,0.3: an empty element; give a comma-separated"
                + " list, e.g. --lr 0.001,0.01,0.1"));
        cases.add(Arguments.of(List.of("--lr", "0.1,0.10"), "--lr 0.10 (in 0.1,0.10): the same value as 0.1, given"
                + " before: each value once"));
        cases.add(Arguments.of(List.of("--batch-size", "10,0"), "--batch-size 0 (in 10,0): must be >= 1"));
        cases.add(Arguments.of(List.of("--batch-size", "1,ten"), "--batch-size ten (in 1,ten): must be an integer >= 1"));
        cases.add(Arguments.of(List.of("--batch-size", "10,2000"), "--batch-size 2000: must be between 1 and the number"
                + " of examples, 1000"));
        cases.add(Arguments.of(List.of("--batch-size", "50", "--examples", "100,20"), "--batch-size 50: must be between"
                + " 1 and the number of examples, 20 (the fewest of --examples 100,20)"));
        cases.add(Arguments.of(List.of("--epochs", "3,-1"), "--epochs -1 (in 3,-1): must be >= 0"));
        cases.add(Arguments.of(List.of("--seed", "1,x"), "--seed x (in 1,x): must be an integer"));
        cases.add(Arguments.of(List.of("--init", "normal,ones"), "--init ones (in normal,ones): must be normal or zeros"));
        cases.add(Arguments.of(List.of("--loss", "squared,hubr"), "--loss hubr: must be squared, mse, mse-sum, l1, l1-sum,"
                + " huber[:DELTA] or huber-sum[:DELTA]"));
        cases.add(Arguments.of(List.of("--loss", "l1,huber:x"), "--loss huber:x: 'x' is not a number"));
        cases.add(Arguments.of(List.of("--optimizer", "sgd,adam"), "--optimizer adam: must be sgd, sgd-nodiv,"
                + " momentum[:MU] or momentum-nodiv[:MU]"));
        cases.add(Arguments.of(List.of("--optimizer", "sgd,momentum:2"), "--optimizer momentum:2: the momentum factor"
                + " must be in [0, 1)"));
        cases.add(Arguments.of(List.of("--clip", "-1"), "--clip -1: must be a finite number > 0"));
        cases.add(Arguments.of(List.of("--examples", "100,0"), "--examples 0 (in 100,0): must be >= 1"));
        cases.add(Arguments.of(List.of("--kernels", "fast"), "--kernels 'fast': must be one of unfused, fused, epoch"));
        cases.add(Arguments.of(List.of("--json", "--quiet"), "--json and --quiet together: choose one (--json already"
                + " prints nothing but JSON)"));
        cases.add(Arguments.of(List.of("--plot", file.resolve("sub").toString()), "--plot " + file.resolve("sub")
                + ": " + file + " is not a folder, so the folder " + file.resolve("sub") + " cannot be made"));
        cases.add(Arguments.of(List.of("--true-b", "NaN"), "--true-b NaN: must be a finite number"));
        String many = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17";
        cases.add(Arguments.of(List.of("--lr", "0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1,0.11,0.12,0.13,0.14,"
                + "0.15,0.16,0.17", "--epochs", many, "--seed", many, "--examples", many.replace(",", "0,") + "0"),
                "a sweep of 83521 runs: at most 65536 are allowed"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badElements")
    void aBadElementIsOneLineAndExitTwo(List<String> args, String message) {
        List<String> all = new ArrayList<>(List.of("sweep", "--device", "java"));
        all.addAll(args);
        Cli run = Cli.run(all.toArray(String[]::new));
        assertEquals(Main.BAD_INPUT, run.exit(), run.story());
        assertEquals("", run.out(), run.story());
        assertEquals(List.of("d2l-cl: " + message), run.errLines(), run.story());
    }
}
