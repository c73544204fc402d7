package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.Compare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints lose nothing: a resumed run is bit for bit the run that never stopped; every
 * truncation and every flipped byte is refused; a failed write leaves the last good checkpoint
 * as it was; a resume with another seed or other data is refused.
 */
class CheckpointTest {
    static final Dataset DATA = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    @TempDir
    Path dir;

    private static void says(Throwable e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "the message should contain '" + fragment + "':\n" + e.getMessage());
        }
    }

    /** A checkpoint after one epoch of the chapter's run, written to {@code dir/ck.txt}. */
    private Path afterOneEpoch() {
        Path file = dir.resolve("ck.txt");
        try (Trainer trainer = new Trainer(backends.openCl(), DATA, TrainConfig.DEFAULT)) {
            trainer.epoch();
            Checkpoint.of(trainer).write(file);
        }
        return file;
    }

    @Test
    void writeThenReadGivesTheSameBits() {
        try (Trainer trainer = new Trainer(backends.openCl(), DATA, TrainConfig.DEFAULT)) {
            double loss = trainer.epoch();
            Checkpoint written = Checkpoint.of(trainer);
            Path file = dir.resolve("ck.txt");
            written.write(file);
            Checkpoint read = Checkpoint.read(file);
            assertEquals(1, read.epoch());
            assertEquals(10, read.batchSize());
            assertEquals(0.03f, read.lr());
            assertEquals(42, read.seed());
            assertEquals(1000, read.examples());
            assertEquals(2, read.features());
            assertEquals(DATA.fingerprint(), read.dataSha256());
            assertEquals(loss, read.loss());
            Compare.bitwise("w", trainer.w(), read.w(), 2);
            Compare.bitwise("b", new float[] {trainer.b()}, new float[] {read.b()}, 1);
            assertEquals(backends.openCl().description(), read.device());
            assertEquals(written.text(), read.text());
        }
    }

    @Test
    void resumingAfterEpoch1GivesTheBitsOfARunThatNeverStopped() {
        resumeMatches(backends.openCl());
    }

    @Test
    void resumingOnTheJavaBackendGivesTheBitsOfARunThatNeverStopped() {
        try (Backend java = new JavaBackend()) {
            resumeMatches(java);
        }
    }

    private void resumeMatches(Backend backend) {
        double[] straightLosses = new double[3];
        float[] w;
        float b;
        try (Trainer straight = new Trainer(backend, DATA, TrainConfig.DEFAULT)) {
            for (int e = 0; e < 3; e++) {
                straightLosses[e] = straight.epoch();
            }
            w = straight.w();
            b = straight.b();
        }
        Path file = dir.resolve("resume.txt");
        try (Trainer first = new Trainer(backend, DATA, TrainConfig.DEFAULT)) {
            first.epoch();
            Checkpoint.of(first).write(file);
        }
        try (Trainer resumed = Checkpoint.read(file).resume(backend, DATA, TrainConfig.DEFAULT)) {
            assertEquals(1, resumed.epochsDone());
            assertEquals(straightLosses[1], resumed.epoch(), "epoch 2's loss");
            assertEquals(straightLosses[2], resumed.epoch(), "epoch 3's loss");
            Compare.bitwise("w after 1 + 2 epochs vs 3", w, resumed.w(), w.length);
            Compare.bitwise("b after 1 + 2 epochs vs 3", new float[] {b}, new float[] {resumed.b()}, 1);
        }
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(afterOneEpoch());
        Path cut = dir.resolve("cut.txt");
        for (int length = 0; length < whole.length; length++) {
            Files.write(cut, Arrays.copyOf(whole, length));
            int at = length;
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(cut),
                    () -> "a checkpoint cut to " + at + " of " + whole.length + " bytes was accepted");
            assertTrue(e.getMessage().contains("is truncated") || e.getMessage().contains("is corrupt"),
                    "cut to " + at + " bytes: " + e.getMessage());
        }
    }

    @Test
    void everyFlippedByteIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(afterOneEpoch());
        Path bad = dir.resolve("bad.txt");
        for (int i = 0; i < whole.length; i++) {
            byte[] flipped = whole.clone();
            flipped[i] ^= 0x04;
            Files.write(bad, flipped);
            int at = i;
            assertThrows(CheckpointException.class, () -> Checkpoint.read(bad),
                    () -> "a checkpoint with byte " + at + " changed was accepted");
        }
    }

    @Test
    void aChangedValueIsRefusedByItsChecksum() throws IOException {
        Path file = afterOneEpoch();
        String text = Files.readString(file);
        Files.writeString(file, text.replace("epoch = 1\n", "epoch = 2\n"));
        says(assertThrows(CheckpointException.class, () -> Checkpoint.read(file)),
                "checkpoint " + file + " is corrupt: its checksum is ", "but its contents give",
                "use an earlier checkpoint or start again");
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        Path file = afterOneEpoch();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        says(assertThrows(CheckpointException.class, () -> Checkpoint.read(file)),
                "checkpoint " + file + " is truncated", "a write was cut short");
    }

    @Test
    void aFailedWriteLeavesTheLastGoodCheckpointWhole() throws IOException {
        Path file = afterOneEpoch();
        byte[] good = Files.readAllBytes(file);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Checkpoint.writeAtomically(file, out -> {
                    out.write(good, 0, good.length / 2);
                    throw new IOException("No space left on device");
                }));
        says(e, "writing checkpoint " + file, "No space left on device");
        assertArrayEquals(good, Files.readAllBytes(file), "the last good checkpoint is untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        assertEquals(1, Checkpoint.read(file).epoch());
    }

    @Test
    void writingReplacesTheFileWhole() throws IOException {
        Path file = dir.resolve("ck.txt");
        try (Trainer trainer = new Trainer(backends.openCl(), DATA, TrainConfig.DEFAULT)) {
            for (int e = 1; e <= 3; e++) {
                trainer.epoch();
                Checkpoint.of(trainer).write(file);
                assertEquals(e, Checkpoint.read(file).epoch());
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aMissingFileOrAFolderIsRefused() {
        Path missing = dir.resolve("missing.txt");
        says(assertThrows(CheckpointException.class, () -> Checkpoint.read(missing)), missing + ": no such file");
        says(assertThrows(CheckpointException.class, () -> Checkpoint.read(dir)), "is a folder");
    }

    @Test
    void anotherFormatIsRefused() throws IOException {
        Path file = afterOneEpoch();
        String text = Files.readString(file);
        String body = text.substring(0, text.indexOf("crc32c = ")).replace("format = 1\n", "format = 2\n");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, body + String.format("crc32c = %08x%n", crc.getValue()));
        says(assertThrows(CheckpointException.class, () -> Checkpoint.read(file)), "has format 2",
                "reads format 1");
    }

    @Test
    void resumingWithAnotherSeedIsRefused() {
        Checkpoint checkpoint = Checkpoint.read(afterOneEpoch());
        says(assertThrows(CheckpointException.class,
                () -> checkpoint.resume(backends.openCl(), DATA, TrainConfig.DEFAULT.withSeed(7))),
                "taken with seed 42, this run has seed 7", "must be the same");
    }

    @Test
    void resumingOnOtherDataIsRefused() {
        Checkpoint checkpoint = Checkpoint.read(afterOneEpoch());
        Dataset other = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 43);
        says(assertThrows(CheckpointException.class, () -> checkpoint.resume(backends.openCl(), other,
                TrainConfig.DEFAULT)), "taken on other data (1000 examples of 2 features, sha256 ",
                "than this run's (1000 of 2, sha256 ");
        float[] x = DATA.features().clone();
        x[1234] = Math.nextUp(x[1234]);
        Dataset oneBit = new Dataset(x, DATA.labels(), 1000, 2);
        assertThrows(CheckpointException.class, () -> checkpoint.resume(backends.openCl(), oneBit, TrainConfig.DEFAULT), "data that differs in one bit of one value");
    }

    @Test
    void resumingWithAnotherLearningRateContinuesWithIt() {
        Checkpoint checkpoint = Checkpoint.read(afterOneEpoch());
        TrainConfig slower = TrainConfig.DEFAULT.withLr(0.01f);
        try (Trainer resumed = checkpoint.resume(backends.openCl(), DATA, slower)) {
            resumed.epoch();
            assertEquals(0.01f, Checkpoint.of(resumed).lr());
            assertEquals(2, Checkpoint.of(resumed).epoch());
        }
    }

    @Test
    void theFingerprintSeesEveryBit() {
        String base = DATA.fingerprint();
        assertEquals(64, base.length());
        assertEquals(base, new Dataset(DATA.features().clone(), DATA.labels().clone(), 1000, 2).fingerprint());
        float[] y = DATA.labels().clone();
        y[999] = Math.nextDown(y[999]);
        if (base.equals(new Dataset(DATA.features(), y, 1000, 2).fingerprint())) {
            fail("one bit of the last label does not change the fingerprint");
        }
        // Same values, other shape.
        assertTrue(!base.equals(new Dataset(DATA.features(), Arrays.copyOf(DATA.labels(), 500), 500, 4)
                .fingerprint()));
    }
}
