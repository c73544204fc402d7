package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.d2lcl.Checkpoint;
import org.d2lcl.D2l;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * {@code train --checkpoint} survives {@code kill -9}: a child JVM is killed as soon as its first
 * checkpoint appears, {@code --resume} finishes the run, and the parameters are bit for bit those
 * of a run that never stopped. The kill lands wherever it lands, possibly in the middle of
 * writing epoch 2's checkpoint; the file on disk must still be a whole checkpoint.
 */
class KillResumeTest {
    /** 10,000 steps per epoch: long enough that the kill lands before the run ends. */
    static final int EXAMPLES = 100_000;
    static final int EPOCHS = 3;

    @TempDir
    Path dir;

    @Test
    void killedAfterEpoch1AndResumedGivesTheParametersOfARunThatNeverStopped() throws Exception {
        String device = Integer.toString(TestDevice.get().index());
        Path checkpoint = dir.resolve("run.ckpt");
        List<String> train = List.of("train", "--device", device, "--examples", Integer.toString(EXAMPLES),
                "--epochs", Integer.toString(EPOCHS), "--checkpoint", checkpoint.toString());

        Path killedDir = Files.createDirectory(dir.resolve("killed"));
        Process child = ChildJvm.builder(killedDir, List.of(), Main.class, train).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (!Files.exists(checkpoint)) {
            if (!child.isAlive()) {
                fail("the child ended before writing a checkpoint\n" + ChildJvm.output(killedDir).story());
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly().waitFor();
                fail("no checkpoint after 600 s\n" + ChildJvm.output(killedDir).story());
            }
            Thread.sleep(5);
        }
        boolean aliveAtKill = child.isAlive();
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing, no cleanup
        assertEquals(137, child.waitFor(), "exit status of a process killed by SIGKILL");
        assertTrue(aliveAtKill, "the run ended before the kill\n" + ChildJvm.output(killedDir).story());

        Checkpoint saved = Checkpoint.read(checkpoint);
        assertTrue(saved.epoch() >= 1 && saved.epoch() < EPOCHS,
                "the kill should land before the last epoch's checkpoint; it holds epoch " + saved.epoch());
        leftovers(saved.epoch());

        Path resumedDir = Files.createDirectory(dir.resolve("resumed"));
        List<String> resume = new java.util.ArrayList<>(train);
        resume.addAll(List.of("--resume", checkpoint.toString()));
        ChildJvm.Result resumed = ChildJvm.run(resumedDir, List.of(), Main.class, resume, 600);
        assertEquals(0, resumed.exit(), resumed::story);
        assertTrue(resumed.out().contains("resumed from " + checkpoint + " after epoch " + saved.epoch() + " of "
                + EPOCHS), resumed::story);
        Checkpoint end = Checkpoint.read(checkpoint);
        assertEquals(EPOCHS, end.epoch());

        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, EXAMPLES, 42);
        try (OpenClBackend backend = new OpenClBackend(TestDevice.get());
             Trainer straight = new Trainer(backend, data, TrainConfig.DEFAULT)) {
            double loss = 0;
            for (int e = 0; e < EPOCHS; e++) {
                loss = straight.epoch();
            }
            String what = "killed after epoch " + saved.epoch() + ", resumed, vs. " + EPOCHS + " epochs straight";
            Compare.bitwise(what + ": w", straight.w(), end.w(), 2);
            Compare.bitwise(what + ": b", new float[] {straight.b()}, new float[] {end.b()}, 1);
            assertEquals(loss, end.loss(), what + ": loss");
        }
    }

    /** A kill in the middle of a write may leave its temporary file; never a damaged checkpoint. */
    private void leftovers(int epoch) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.equals("run.ckpt") || name.equals("killed") || name.startsWith(".run.ckpt."),
                        "unexpected file " + name + " after the kill at epoch " + epoch);
            }
        }
    }
}
