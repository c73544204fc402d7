package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.d2lcl.D2l;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.StepRules;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code d2l-cl train}: what the chapter prints, then the learned parameters; and every bad
 * argument exits with 2 and one line on stderr naming the value and what is allowed.
 */
class TrainCommandTest {
    private static final String NUMBER = "-?\\d+\\.\\d{6}";
    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+), loss (" + NUMBER + ")");

    @TempDir
    Path dir;

    /** The Java backend is reproducible bit for bit, so its whole output is known (see TrainerTest's pinned losses). */
    @Test
    void printsTheChaptersLinesOnTheJavaBackend() {
        Cli run = Cli.run("train", "--device", "java");
        assertEquals(0, run.exit(), run.story());
        assertEquals(List.of(
                "device: Java reference backend (CPU, no OpenCL)",
                "epoch 1, loss 0.030748",
                "epoch 2, loss 0.000110",
                "epoch 3, loss 0.000053",
                "error in estimating w: [-0.000395, -0.000116]",
                "error in estimating b: [0.000003]",
                "w: [2.000395, -3.399884]",
                "b: 4.199997"), run.outLines(), run.story());
        assertEquals("", run.err(), run.story());
    }

    /** On the default OpenCL device: the same format, the device named, and the chapter's accuracy. */
    @Test
    void printsTheChaptersLinesOnTheDefaultDevice() {
        ClDevice device = TestDevice.get();
        Cli run = Cli.run("train", "--device", Integer.toString(device.index()));
        assertEquals(0, run.exit(), run.story());
        List<String> lines = run.outLines();
        assertEquals(8, lines.size(), run.story());
        assertEquals("device: " + device.description(), lines.get(0), run.story());
        double loss = Double.NaN;
        for (int e = 1; e <= 3; e++) {
            Matcher m = EPOCH.matcher(lines.get(e));
            assertTrue(m.matches(), "line " + (e + 1) + " should read 'epoch " + e + ", loss 0.dddddd'\n" + run.story());
            assertEquals(e, Integer.parseInt(m.group(1)));
            loss = Double.parseDouble(m.group(2));
        }
        assertTrue(loss < 2e-4, "epoch-3 loss " + loss + " should be < 2e-4\n" + run.story());
        for (String error : List.of(values(lines.get(4), "error in estimating w: ", 2),
                values(lines.get(5), "error in estimating b: ", 1))) {
            for (String v : error.split(", ")) {
                assertTrue(Math.abs(Double.parseDouble(v)) < 0.01, "error " + v + " should be < 0.01\n" + run.story());
            }
        }
        values(lines.get(6), "w: ", 2);
        assertTrue(lines.get(7).matches("b: " + NUMBER), run.story());
    }

    /** {@code prefix[v, v, ...]} with {@code count} values printed with %f; returns the inside of the brackets. */
    private static String values(String line, String prefix, int count) {
        String list = NUMBER + "(, " + NUMBER + "){" + (count - 1) + "}";
        assertTrue(line.matches(Pattern.quote(prefix) + "\\[" + list + "]"),
                "'" + line + "' should read '" + prefix + "[" + count + " values]'");
        return line.substring(prefix.length() + 1, line.length() - 1);
    }

    @Test
    void withDataThereIsNoTrueWeightToCompareWith() throws IOException {
        Path csv = dir.resolve("line.csv");
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 50; i++) {
            text.append(i / 10.0).append(',').append(3 * (i / 10.0) - 1).append('\n');
        }
        Files.writeString(csv, text);
        Cli run = Cli.run("train", "--device", "java", "--data", csv.toString(), "--batch-size", "5", "--epochs", "2",
                "--lr", "0.05");
        assertEquals(0, run.exit(), run.story());
        List<String> lines = run.outLines();
        assertEquals(5, lines.size(), run.story());
        assertTrue(lines.get(0).startsWith("device: "), run.story());
        assertTrue(EPOCH.matcher(lines.get(1)).matches() && EPOCH.matcher(lines.get(2)).matches(), run.story());
        values(lines.get(3), "w: ", 1);
        assertTrue(lines.get(4).matches("b: " + NUMBER), run.story());
    }

    @Test
    void moreFeaturesAndNoEpochs() {
        Cli run = Cli.run("train", "--device", "java", "--true-w", "10,7,5,2", "--true-b", "1.1", "--epochs", "0");
        assertEquals(0, run.exit(), run.story());
        List<String> lines = run.outLines();
        assertEquals(5, lines.size(), "no epoch lines, then the errors and the parameters\n" + run.story());
        values(lines.get(1), "error in estimating w: ", 4);
        assertEquals("error in estimating b: [1.100000]", lines.get(2), "b starts at 0\n" + run.story());
        values(lines.get(3), "w: ", 4);
        assertEquals("b: 0.000000", lines.get(4), run.story());
    }

    static Stream<Arguments> badArguments() throws IOException {
        Path dir = Files.createTempDirectory("d2l-cl-test");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "x1,x2,y\n1,2,3\n4,5\n");
        Path word = dir.resolve("word.csv");
        Files.writeString(word, "1,2,3\n4,abc,6\n");
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "1,2,3\n4,5,6\n");
        Path missing = dir.resolve("missing.csv");
        List<Arguments> cases = new ArrayList<>();
        cases.add(bad("--batch-size 0", List.of("--batch-size", "0"), "--batch-size 0", "between 1 and"));
        cases.add(bad("--batch-size > n", List.of("--batch-size", "1001"), "--batch-size 1001", "between 1 and",
                "1000"));
        cases.add(bad("--batch-size > n of a file", List.of("--data", two.toString(), "--batch-size", "3"),
                "--batch-size 3", "between 1 and", "2"));
        cases.add(bad("--lr -1", List.of("--lr", "-1"), "--lr -1", "finite number > 0"));
        cases.add(bad("--lr 0", List.of("--lr", "0"), "--lr 0", "finite number > 0"));
        cases.add(bad("--lr NaN", List.of("--lr", "NaN"), "--lr NaN", "finite number > 0"));
        cases.add(bad("--lr Infinity", List.of("--lr", "Infinity"), "--lr Infinity", "finite number > 0"));
        cases.add(bad("--epochs abc", List.of("--epochs", "abc"), "--epochs", "'abc'", "int"));
        cases.add(bad("--epochs -1", List.of("--epochs", "-1"), "--epochs -1", ">= 0"));
        cases.add(bad("--examples 0", List.of("--examples", "0"), "--examples 0", ">= 1"));
        cases.add(bad("--true-w empty", List.of("--true-w="), "--true-w", "''", "float"));
        cases.add(bad("--true-w of commas", List.of("--true-w", ","), "--true-w is empty", "at least one weight"));
        cases.add(bad("--true-w x", List.of("--true-w", "1,x"), "--true-w", "'x'", "float"));
        cases.add(bad("--true-b NaN", List.of("--true-b", "NaN"), "--true-b NaN", "finite"));
        cases.add(bad("--data missing", List.of("--data", missing.toString()), missing.toString(), "no such file"));
        cases.add(bad("--data ragged row", List.of("--data", ragged.toString()), ragged.toString(), "line 3",
                "2 columns", "expected 3"));
        cases.add(bad("--data non-number", List.of("--data", word.toString()), word.toString(), "line 2, column 2",
                "'abc' is not a number"));
        cases.add(bad("--device no match", List.of("--device", "no-such-device"), "'no-such-device'",
                "the devices are: 0 = '", "'java'"));
        cases.add(bad("--device index out of range", List.of("--device", "99"), "device index 99",
                "between 0 and"));
        cases.add(bad("--device huge index", List.of("--device", "99999999999"), "device index 99999999999",
                "between 0 and"));
        cases.add(bad("an unknown option", List.of("--bogus"), "'--bogus'"));
        return cases.stream();
    }

    private static Arguments bad(String name, List<String> args, String... named) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(args);
        return Arguments.of(name, all, List.of(named));
    }

    @ParameterizedTest(name = "{0}: exit 2, one line")
    @MethodSource("badArguments")
    void badArgumentsExit2WithOneLine(String name, List<String> args, List<String> named) {
        Cli run = Cli.run(args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.story());
        assertEquals(1, run.errLines().size(), "exactly one line on stderr\n" + run.story());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("d2l-cl: "), run.story());
        for (String part : named) {
            assertTrue(line.contains(part), "the line should name '" + part + "'\n" + run.story());
        }
        assertEquals("", run.out(), "nothing on stdout\n" + run.story());
    }

    /** {@code --init zeros} starts from w = 0 and converges; {@code --no-shuffle} takes other steps; bad values exit 2. */
    @Test
    void initAndShuffleOptions() {
        Cli zeros = Cli.run("train", "--device", "java", "--init", "zeros", "--json", "--epochs", "3");
        assertEquals(0, zeros.exit(), zeros.story());
        String result = zeros.outLines().get(zeros.outLines().size() - 1);
        double loss = Double.parseDouble(result.replaceAll(".*\"loss\":([^,]+),.*", "$1"));
        assertTrue(loss < 2e-4, "zero initialisation converges: " + result);
        Cli inOrder = Cli.run("train", "--device", "java", "--no-shuffle", "-q");
        Cli shuffled = Cli.run("train", "--device", "java", "-q");
        assertEquals(0, inOrder.exit(), inOrder.story());
        assertTrue(!inOrder.out().equals(shuffled.out()), "the data's order gives other parameters");
        Cli bad = Cli.run("train", "--device", "java", "--init", "ones");
        assertEquals(Main.BAD_INPUT, bad.exit(), bad.story());
        assertEquals(List.of("d2l-cl: --init ones: must be normal or zeros"), bad.errLines(), bad.story());
        assertEquals("", bad.out(), "nothing trained");
    }

    /**
     * The reader's other programs from the command line, on the Java backend and on OpenCL: the L1
     * variant prints the write-up's epoch lines ({@code --epoch-loss batches}) and recovers its weights
     * (constant-step SGD ends in a band about one step wide around the fit: {@code StepRules.l1StepBounds}), the
     * chapter's data with momentum and with Huber's loss on the unfused kernels is fitted within 0.05
     * in five epochs (Huber's steps are clamped, so it takes more than the chapter's three), a clipped
     * run lowers its loss every epoch, and a checkpoint of another rule is refused before training.
     */
    @Test
    void theReadersOtherProgramsRun() {
        for (String dev : new String[] {"java", Integer.toString(TestDevice.get().index())}) {
            Cli l1 = Cli.run("train", "--device", dev, "--true-w", "10,7,5,2", "--true-b", "1.1", "--examples", "500",
                    "--batch-size", "16", "--lr", "0.05", "--epochs", "50", "--loss", "l1", "--optimizer", "sgd-nodiv",
                    "--epoch-loss", "batches");
            fittedWithin("the L1 variant", l1, StepRules.l1StepBounds(
                    D2l.syntheticData(new float[] {10f, 7f, 5f, 2f}, 1.1f, 500, 42), 16, 0.05f));
            List<String> epochs = l1.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
            assertEquals(50, epochs.size(), l1.story());
            for (int e = 0; e < 50; e++) {
                assertTrue(epochs.get(e).matches(String.format("epoch %03d: loss: \\d+\\.\\d{6}", e)),
                        "the write-up's line: " + epochs.get(e));
            }
            for (String[] args : new String[][] {{"--optimizer", "momentum:0.9"}, {"--loss", "huber:1", "--optimizer",
                "sgd-nodiv", "--kernels", "unfused"}}) {
                Cli run = Cli.run(Stream.concat(Stream.of("train", "--device", dev, "--epochs", "5", "-q"),
                        Stream.of(args)).toArray(String[]::new));
                fittedWithin005(String.join(" ", args), run);
            }
            Cli clipped = Cli.run("train", "--device", dev, "--clip", "1", "--epochs", "4");
            assertEquals(0, clipped.exit(), clipped.story());
            double[] losses = clipped.outLines().stream().filter(l -> EPOCH.matcher(l).matches())
                    .mapToDouble(l -> Double.parseDouble(l.replaceAll(".*loss ", ""))).toArray();
            assertEquals(4, losses.length, clipped.story());
            for (int e = 1; e < 4; e++) {
                assertTrue(losses[e] < losses[e - 1], "--clip 1: epoch " + (e + 1) + " lowers the loss\n" + clipped.story());
            }
        }
        Cli refused = Cli.run("train", "--device", "java", "--loss", "l1", "--checkpoint", "run.ckpt");
        assertEquals(Main.BAD_INPUT, refused.exit(), refused.story());
        assertEquals(List.of("d2l-cl: --checkpoint run.ckpt: a checkpoint holds runs of the chapter's loss and optimizer"
                + " (--loss squared --optimizer sgd, no --clip)"), refused.errLines(), refused.story());
        assertEquals("", refused.out(), "nothing trained");
    }

    /** {@code --verbose} ends with one line of where the time went, phase by phase; without it, none. */
    @Test
    void verboseSaysWhereTheTimeWent() {
        Cli run = Cli.run("train", "--device", "java", "-q", "--verbose");
        assertEquals(0, run.exit(), run.story());
        assertEquals(1, run.errLines().size(), run.story());
        assertTrue(run.errLines().get(0).matches("d2l-cl: time: start \\d+ ms, data \\d+ ms, device \\d+ ms, set-up \\d+ ms,"
                + " first epoch \\(kernel builds included\\) \\d+ ms, other epochs \\d+ ms, output \\d+ ms"), run.story());
        Cli quiet = Cli.run("train", "--device", "java", "-q");
        assertEquals(List.of(), quiet.errLines(), quiet.story());
    }

    /** A run that exited 0 and whose errors in w and b are all below 0.05. */
    private static void fittedWithin005(String what, Cli run) {
        fittedWithin(what, run, null);
    }

    /** A run that exited 0 and whose errors in w, then b, are below {@code bounds} (null: 0.05 each). */
    private static void fittedWithin(String what, Cli run, double[] bounds) {
        assertEquals(0, run.exit(), run.story());
        List<String> errors = run.outLines().stream().filter(l -> l.startsWith("error in estimating")).toList();
        assertEquals(2, errors.size(), run.story());
        int k = 0;
        for (String line : errors) {
            for (String v : line.replaceAll(".*\\[(.*)\\]", "$1").split(", ")) {
                double bound = bounds == null ? 0.05 : bounds[k++];
                assertTrue(Math.abs(Double.parseDouble(v)) < bound, what + ": " + line + " (bound " + bound + ")\n"
                        + run.story());
            }
        }
    }
}
