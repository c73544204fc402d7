package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.d2lcl.Checkpoint;
import org.d2lcl.LinearModel;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Every file the command line writes (model, checkpoint, plots, predictions) and standard output:
 * a FIFO or device is refused before training and left alone, a symbolic link is followed and kept,
 * a failed write is one line and keeps what was there, a second run on the same checkpoint is
 * refused, and no temporary file outlives a run.
 */
class OutputFilesTest {
    @TempDir
    Path dir;

    private static boolean isFifo(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).isOther();
    }

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void refusedBeforeTraining(Cli run, String line) {
        assertEquals(2, run.exit(), run::story);
        assertEquals(List.of("d2l-cl: " + line), run.errLines(), run::story);
        assertEquals("", run.out(), () -> "nothing trained\n" + run.story());
    }

    @Test
    void aFifoIsRefusedBeforeTrainingAndLeftAlone() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo");
        String why = ": is a FIFO, not a regular file; name a file";
        refusedBeforeTraining(Cli.run("train", "--device", "java", "--save-model", fifo.toString()),
                "--save-model " + fifo + why);
        refusedBeforeTraining(Cli.run("train", "--device", "java", "--checkpoint", fifo.toString()),
                "--checkpoint " + fifo + why);
        Path plots = Files.createDirectory(dir.resolve("plots"));
        Files.createSymbolicLink(plots.resolve("loss.png"), fifo);
        refusedBeforeTraining(Cli.run("train", "--device", "java", "--plot", plots.toString()),
                "--plot " + plots + ": loss.png" + why.substring(1));
        Path model = dir.resolve("m.json");
        LinearModel.of(new float[] {2f}, 1f).save(model);
        Path csv = Files.writeString(dir.resolve("x.csv"), "1\n2\n");
        refusedBeforeTraining(Cli.run("predict", "--device", "java", "--model", model.toString(), "--data",
                csv.toString(), "--out", fifo.toString()), "--out " + fifo + why);
        assertTrue(isFifo(fifo), "the FIFO is still a FIFO");
    }

    @Test
    void aSymbolicLinkIsFollowedForEveryFile() throws IOException {
        Path realModel = Files.writeString(dir.resolve("real-model.json"), "stale");
        Path model = Files.createSymbolicLink(dir.resolve("model.json"), realModel.getFileName());
        Path realCk = Files.writeString(dir.resolve("real-ck.txt"), "stale");
        Path ck = Files.createSymbolicLink(dir.resolve("ck.txt"), realCk.getFileName());
        Cli run = Cli.run("train", "--device", "java", "--epochs", "1", "--save-model", model.toString(),
                "--checkpoint", ck.toString());
        assertEquals(0, run.exit(), run::story);
        assertTrue(Files.isSymbolicLink(model) && Files.isSymbolicLink(ck), "the links are kept");
        assertEquals(2, LinearModel.load(realModel).d(), "the link's target holds the model");
        assertEquals(1, Checkpoint.read(realCk).epoch(), "the link's target holds the checkpoint");

        Path realOut = Files.writeString(dir.resolve("real-out.csv"), "stale");
        Path out = Files.createSymbolicLink(dir.resolve("out.csv"), realOut.getFileName());
        Path csv = Files.writeString(dir.resolve("x.csv"), "x1,x2\n1,2\n");
        Cli predict = Cli.run("predict", "--device", "java", "--model", model.toString(), "--data", csv.toString(),
                "--out", out.toString());
        assertEquals(0, predict.exit(), predict::story);
        assertTrue(Files.isSymbolicLink(out));
        assertTrue(Files.readString(realOut).startsWith("prediction\n"), "the link's target holds the predictions");
    }

    @Test
    void thePlotFolderIsMadeOnlyWhenThePlotsAreWritten() {
        Path plots = dir.resolve("a/b/plots");
        Cli run = Cli.run("train", "--device", "java", "--examples", "10", "--batch-size", "20", "--plot",
                plots.toString());
        assertEquals(2, run.exit(), run::story);
        assertFalse(Files.exists(dir.resolve("a")), "a run that stops early leaves no empty folder");
    }

    @Test
    void aSecondRunOnTheSameCheckpointIsRefusedAndStaleTemporaryFilesGo() throws IOException {
        Path ck = dir.resolve("ck.txt");
        Path stale = Files.writeString(dir.resolve(".ck.txt.1x2y3z.tmp"), "half a checkpoint");
        try (AtomicFile.Lock other = AtomicFile.tryLock(ck)) {
            refusedBeforeTraining(Cli.run("train", "--device", "java", "--checkpoint", ck.toString()),
                    "--checkpoint " + ck + ": another run is writing this checkpoint; wait for it to end or name"
                            + " another file");
        }
        Cli run = Cli.run("train", "--device", "java", "--epochs", "1", "--checkpoint", ck.toString());
        assertEquals(0, run.exit(), run::story);
        assertFalse(Files.exists(stale), "the stale temporary file of the same checkpoint is removed");
        assertEquals(List.of("ck.txt"), names(dir), "no lock or temporary file is left");
    }

    /** 70 weights: a checkpoint over 1 KiB, a model under it, so that {@code ulimit -f 1} fails only the former. */
    private static String trueW() {
        StringBuilder w = new StringBuilder();
        for (int j = 0; j < 70; j++) {
            w.append(j == 0 ? "" : ",").append(0.1f * j - 3);
        }
        return w.toString();
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsOneLineKeepsTheLastAndTheModelIsSaved() throws Exception {
        Path ck = dir.resolve("ck.txt");
        Path model = dir.resolve("m.json");
        List<String> common = List.of("train", "--device", "java", "--examples", "200", "--true-w", trueW(), "-q",
                "--checkpoint", ck.toString());
        Path first = Files.createDirectory(dir.resolve("first"));
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--epochs", "1"));
        ChildJvm.Result one = ChildJvm.run(first, List.of(), Main.class, args, 120);
        assertEquals(0, one.exit(), one::story);
        byte[] good = Files.readAllBytes(ck);
        assertTrue(good.length > 1024, "the checkpoint is over the 1 KiB limit below: " + good.length);

        Path second = Files.createDirectory(dir.resolve("second"));
        args = new ArrayList<>(common);
        args.addAll(List.of("--epochs", "3", "--resume", ck.toString(), "--save-model", model.toString()));
        ProcessBuilder builder = ChildJvm.builder(second, List.of("-XX:-UsePerfData"), Main.class, args);
        List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f 1; exec \"$@\"", "bash"));
        command.addAll(builder.command());
        Process p = builder.command(command).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        ChildJvm.Result two = ChildJvm.output(second);
        assertEquals(2, p.exitValue(), two::story);
        assertEquals(List.of("d2l-cl: --checkpoint " + ck + ": the checkpoint of epoch 2 cannot be written (File too"
                + " large); the file still holds epoch 1; the model of epoch 2 is saved to " + model),
                two.err().lines().toList(), two::story);
        assertTrue(Files.isSameFile(ck, ck) && java.util.Arrays.equals(good, Files.readAllBytes(ck)),
                "the last good checkpoint is kept");
        assertEquals(70, LinearModel.load(model).d(), "the model is saved");
        assertEquals(List.of("ck.txt", "first", "m.json", "second"), names(dir), "no temporary or lock file left");
    }

    @Test
    void sigtermLeavesNoTemporaryFile() throws Exception {
        Path ck = dir.resolve("ck.txt");
        for (int kill = 0; kill < 3; kill++) {
            Path out = Files.createDirectories(dir.resolve("run" + kill));
            Process child = ChildJvm.builder(out, List.of(), Main.class, List.of("train", "--device", "java",
                    "--examples", "20", "--batch-size", "20", "--epochs", "100000", "-q", "--checkpoint",
                    ck.toString())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(ck)) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    child.destroyForcibly().waitFor();
                    fail("no checkpoint\n" + ChildJvm.output(out).story());
                }
                Thread.sleep(5);
            }
            Thread.sleep(200);
            child.destroy(); // SIGTERM: the shutdown hooks run
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends on SIGTERM");
            List<String> left = names(dir).stream().filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), left, "after SIGTERM " + kill + ": no temporary or lock file");
            Checkpoint.read(ck);
        }
    }

    private ChildJvm.Result toDevFull(String name, List<String> args) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        Process p = ChildJvm.builder(out, List.of(), Main.class, args).redirectOutput(new File("/dev/full")).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        return new ChildJvm.Result(p.exitValue(), "", Files.readString(out.resolve("err.txt")));
    }

    @Test
    void aFullStandardOutputIsExit1AndOneLine() throws Exception {
        String line = "d2l-cl: cannot write to standard output: No space left on device";
        Path model = dir.resolve("m.json");
        LinearModel.of(new float[] {2f}, 1f).save(model);
        Path csv = Files.writeString(dir.resolve("x.csv"), "1\n2\n");
        for (List<String> args : List.of(List.of("train", "--device", "java", "--epochs", "2"),
                List.of("predict", "--device", "java", "--model", model.toString(), "--data", csv.toString()),
                List.of("devices"))) {
            ChildJvm.Result r = toDevFull(args.get(0), args);
            assertEquals(1, r.exit(), () -> args + "\n" + r.story());
            assertEquals(List.of(line), r.err().lines().filter(l -> l.startsWith("d2l-cl:")).toList(), r::story);
        }
    }

    /** {@code d2l-cl train | head -1}: the reader goes away; the run stops quietly, as SIGPIPE would stop it. */
    @Test
    void aClosedPipeIsExit141AndNothingSaid() throws Exception {
        Path out = Files.createDirectories(dir.resolve("pipe"));
        Process p = ChildJvm.builder(out, List.of(), Main.class, List.of("train", "--device", "java", "--epochs", "200"))
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            assertTrue(reader.readLine().startsWith("device: "), "the first line");
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends once its reader has gone");
        String err = Files.readString(out.resolve("err.txt"));
        assertEquals(141, p.exitValue(), err);
        assertEquals("", err);
    }
}
