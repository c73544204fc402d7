package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.d2lcl.D2l;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Csv;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.ClException;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;


/**
 * The bad-input table of docs/errors.md, CLI column: each row exits with code 2 and one line on stderr,
 * {@code d2l-cl: <what> <value>: <rule>}, and no stack trace unless {@code --verbose}. Divergence
 * exits 3 and OpenCL failures 1, also with one line.
 */
class BadInputCliTest {
    private static String device;

    @TempDir
    Path dir;

    @BeforeAll
    static void device() {
        device = Integer.toString(TestDevice.get().index());
    }

    /** What a run of the command line left. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        String story() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code train --device <the test device> args...}. */
    static Run train(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--device", device));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Exit 2, nothing on stdout, one line on stderr holding every fragment. */
    static void badInput(Run run, String... fragments) {
        oneLine(run, Main.BAD_INPUT, fragments);
        assertEquals("", run.out(), run::story);
    }

    static void oneLine(Run run, int exit, String... fragments) {
        assertEquals(exit, run.exit(), run::story);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr\n" + run.story());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("d2l-cl: "), run::story);
        for (String fragment : fragments) {
            assertTrue(line.contains(fragment), () -> "missing '" + fragment + "'\n" + run.story());
        }
    }

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    // Hyper-parameters and shapes

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--batch-size | 0     | --batch-size 0: must be between 1 and the number of examples",
        "--batch-size | 1001  | --batch-size 1001: must be between 1 and the number of training examples, 1000",
        "--epochs     | -1    | --epochs -1: must be >= 0",
        "--lr         | 0     | --lr 0: must be a finite number > 0",
        "--lr         | -1    | --lr -1: must be a finite number > 0",
        "--lr         | NaN   | --lr NaN: must be a finite number > 0",
        "--lr         | Infinity | --lr Infinity: must be a finite number > 0",
        "--examples   | 0     | --examples 0: must be >= 1",
        "--epochs     | abc   | Invalid value for option '--epochs': 'abc' is not an int",
        "--loss       | cubic | --loss cubic: must be squared, mse, mse-sum, l1, l1-sum, huber[:DELTA] or huber-sum[:DELTA]",
        "--loss       | mse:2 | --loss mse:2: only huber takes a threshold (huber:DELTA)",
        "--loss       | huber:0 | --loss huber:0: the threshold must be a finite number > 0",
        "--loss       | huber:x | --loss huber:x: 'x' is not a number",
        "--optimizer  | adam  | --optimizer adam: must be sgd, sgd-nodiv, momentum[:MU] or momentum-nodiv[:MU]",
        "--optimizer  | momentum:1 | --optimizer momentum:1: the momentum factor must be in [0, 1)",
        "--optimizer  | sgd:0.9 | --optimizer sgd:0.9: only momentum takes a factor (momentum:MU)",
        "--clip       | 0     | --clip 0: must be a finite number > 0",
        "--epoch-loss | mean  | --epoch-loss mean: must be after or batches",
        "--clip       | NaN   | --clip NaN: must be a finite number > 0",
    })
    void badOption(String option, String value, String message) {
        badInput(train(option, value), message);
    }

    @Test
    void trueWeightThatIsNotANumber() {
        badInput(train("--true-w", "2,x"), "Invalid value for option '--true-w' (W): 'x' is not a float");
    }

    @Test
    void trueWeightsWhoseLabelsWouldOverflow() {
        badInput(train("--true-w", "3e37,-3e37"), "--true-w, --true-b: |b| + 6 (|w_1| + ... + |w_d|)"
                + " = 3.6000001282917645E38 would let the labels overflow float32; it must stay below 8.5070587E37");
    }

    // Data

    @Test
    void csvMissing() {
        Path file = dir.resolve("missing.csv");
        badInput(train("--data", file.toString()), file + ": no such file");
    }

    @Test
    void csvFolder() {
        badInput(train("--data", dir.toString()), dir + ": cannot be read: it is a folder");
    }

    /** A bad CSV file: its name, its text, and the one line that names the file, the line, the column and the rule. */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        r.csv | 1,2,3\\n4,5\\n      | r.csv line 2: 2 columns, expected 3
        n.csv | 1,2,3\\n4,x,6\\n    | n.csv line 2, column 2: 'x' is not a number
        h.csv | 1,2\\n3,4\\nx,y\\n  | h.csv line 3: 'x,y' looks like a header, but a header may only be the first line
        e.csv |                  | e.csv: the file is empty
        i.csv | 1,2\\n3,Infinity\\n | i.csv line 2, column 2: Infinity is not finite
        """)
    void csvBadFile(String name, String text, String message) throws IOException {
        String contents = text == null ? "" : text.replace("\\n", "\n");
        badInput(train("--data", file(name, contents).toString()), message);
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Run run = train("--verbose", "--data", file("n.csv", "1,2,3\n4,x,6\n").toString());
        assertEquals(Main.BAD_INPUT, run.exit(), run::story);
        assertTrue(run.errLines().get(0).contains("'x' is not a number"), run::story);
        assertTrue(run.err().contains("\tat org.d2lcl.data.Csv"), run::story);
    }

    // Devices

    @Test
    void deviceIndexThatMatchesNoDevice() {
        int count = ClDevice.all().size();
        badInput(run("train", "--device", Integer.toString(count)), "device index " + count,
                "the devices are: 0 = '");
    }

    @Test
    void deviceNameThatMatchesNoDevice() {
        badInput(run("train", "--device", "no-such-gpu"), "device 'no-such-gpu' matches no device",
                "the devices are: 0 = '", "or 'java'");
    }

    @Test
    void dataTooLargeForTheDeviceIsRefusedBeforeItIsMade() {
        ClDevice d = TestDevice.get();
        // X = 10^8 examples x k features, k chosen for four times the largest allocation. (PoCL
        // derives its limits from the memory free when it starts: the run may see another limit.)
        long examples = 100_000_000;
        int k = (int) (4 * d.maxAllocBytes() / Float.BYTES / examples + 1);
        String trueW = String.join(",", java.util.Collections.nCopies(k, "1"));
        Run run = train("--examples", Long.toString(examples), "--true-w", trueW);
        badInput(run, String.format(Locale.ROOT, "a buffer of %d floats (%d bytes) exceeds", k * examples,
                4 * k * examples), "CL_DEVICE_MAX_MEM_ALLOC_SIZE = ", "on " + d);
    }

    // Checkpoints

    /** A checkpoint after epoch 1 of the chapter's run, as {@code train --checkpoint} writes it. */
    private Path checkpointAfterEpoch1() {
        Path file = dir.resolve("ck.txt");
        Run run = train("--epochs", "1", "--checkpoint", file.toString());
        assertEquals(0, run.exit(), run::story);
        return file;
    }

    @Test
    void resumeMissing() {
        Path file = dir.resolve("none.txt");
        badInput(train("--resume", file.toString()), "checkpoint " + file + ": no such file");
    }

    @Test
    void resumeTruncated() throws IOException {
        Path file = checkpointAfterEpoch1();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        badInput(train("--resume", file.toString()), "checkpoint " + file + " is truncated");
    }

    @Test
    void resumeCorrupt() throws IOException {
        Path file = checkpointAfterEpoch1();
        Files.writeString(file, Files.readString(file).replace("seed = 42", "seed = 43"));
        badInput(train("--resume", file.toString()), "checkpoint " + file + " is corrupt: its checksum is");
    }

    /** Resuming against the checkpoint: FILE in the message is the checkpoint file's path. */
    @ParameterizedTest(name = "--resume FILE {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--seed 7      | --seed 7: the checkpoint FILE was taken with seed 42",
        "--examples 999 | --resume FILE: the checkpoint was taken on other data (1000 examples of 2 features",
        "--epochs 0    | --epochs 0: the checkpoint FILE is already at epoch 1; --epochs is the total"})
    void resumeAgainstTheCheckpoint(String options, String message) {
        Path file = checkpointAfterEpoch1();
        String[] option = options.strip().split(" ");
        badInput(train("--resume", file.toString(), option[0], option[1]), message.replace("FILE", file.toString()));
    }

    @Test
    void checkpointInAFolderThatDoesNotExist() {
        Path file = dir.resolve("no/such/folder/ck.txt");
        badInput(train("--checkpoint", file.toString()), "--checkpoint " + file + ": the folder ",
                "does not exist");
    }

    // Divergence and device failures

    @Test
    void divergenceExits3WithOneLine() {
        Run run = train("--lr", "3.0");
        oneLine(run, Main.DIVERGED, "training diverged at epoch 1 (loss = inf); last finite loss ",
                " at epoch 0 (the initial parameters); try a smaller learning rate than 3");
        assertTrue(run.out().startsWith("device: "), run::story);
    }

    @Test
    void divergenceAfterAFiniteEpochPrintsItFirst() {
        Run run = train("--lr", "2.2");
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        double loss1;
        try (OpenClBackend backend = new OpenClBackend(TestDevice.get());
             Trainer trainer = new Trainer(backend, data, TrainConfig.DEFAULT.withLr(2.2f))) {
            loss1 = trainer.epoch();
        }
        oneLine(run, Main.DIVERGED, String.format(Locale.ROOT, "training diverged at epoch 2 (loss = inf); last finite"
                + " loss %.1e at epoch 1; try a smaller learning rate than 2.2", loss1));
        assertTrue(run.out().contains("epoch 1, loss " + Fixed.of(loss1) + System.lineSeparator()), run::story);
    }

    /** A subcommand that fails the way a device does. */
    @Command(name = "fail")
    static final class Fail implements Runnable {
        @Override
        public void run() {
            throw new ClException("clEnqueueNDRangeKernel(matmul)", -5, "#0 Some GPU (Vendor)");
        }
    }

    @Test
    void anOpenClFailureExits1WithOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        cli.addSubcommand("fail", new Fail());
        cli.setErr(new PrintWriter(err, true)); // reaches the new subcommand too
        Run run = new Run(cli.execute("fail"), "", err.toString());
        oneLine(run, 1, "d2l-cl: OpenCL error: clEnqueueNDRangeKernel(matmul) failed: CL_OUT_OF_RESOURCES on #0"
                + " Some GPU (Vendor)");
    }

    @Test
    void valuesAreEchoedAsTypedAndAnEmptyDeviceIsRefused() {
        Cli under = Cli.run("train", "--device", "java", "--lr", "1e-46");
        assertEquals(2, under.exit(), under::story);
        assertEquals(List.of("d2l-cl: --lr 1e-46: underflows float32 to 0 (the smallest positive float is 1.4E-45);"
                + " the learning rate must be a finite number > 0"), under.errLines());
        Cli over = Cli.run("train", "--device", "java", "--lr", "1e39");
        assertEquals(List.of("d2l-cl: --lr 1e39: overflows float32 (the largest float is 3.4028235E38); the learning"
                + " rate must be a finite number > 0"), over.errLines());
        Cli empty = Cli.run("train", "--device", "");
        assertEquals(2, empty.exit(), empty::story);
        assertEquals(List.of("d2l-cl: device '': an empty name matches no device; give an index or a name from"
                + " 'd2l-cl devices', or 'java' (leave the option out for the default)"), empty.errLines());
        assertEquals("", empty.out());
        org.junit.jupiter.api.Assertions.assertThrows(org.d2lcl.backend.DeviceNotFoundException.class,
                () -> org.d2lcl.Device.open(""));
        NullPointerException npe = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> new org.d2lcl.data.Dataset(null, new float[1], 1, 1));
        assertEquals("features", npe.getMessage());
    }
}
