package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.d2lcl.LinearModel;
import org.d2lcl.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line reads: R's quoted CSV, standard input, and inputs that never end. */
class InputTest {
    @TempDir
    Path dir;

    @Test
    void aQuotedHeaderTrainsAndPredictsByName() throws Exception {
        StringBuilder csv = new StringBuilder("\"\",\"x1\",\"x2\",\"y\"\n");
        for (int i = 0; i < 50; i++) {
            csv.append('"').append(i + 1).append("\",").append(i % 7).append(',').append(i % 3).append(',')
                    .append(2 * (i % 7) - (i % 3) + 1).append('\n');
        }
        Path data = Files.writeString(dir.resolve("r.csv"), csv.toString().replaceFirst("\"\"", "\"id\""));
        Path model = dir.resolve("m.json");
        Cli train = Cli.run("train", "--device", "java", "--data", data.toString(), "--label", "y", "--epochs", "1",
                "--save-model", model.toString(), "-q");
        assertEquals(0, train.exit(), train::story);
        assertEquals(List.of("id", "x1", "x2"), LinearModel.load(model).featureNames());
        Cli predict = Cli.run("predict", "--device", "java", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, predict.exit(), predict::story);
        assertEquals(51, predict.outLines().size());
    }

    @Test
    void dashReadsStandardInput() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "x,y\n1,3\n2,5\n3,7\n4,9\n");
        Process p = ChildJvm.builder(dir, List.of(), Main.class, List.of("train", "--device", "java", "--data", "-",
                "--epochs", "1", "--batch-size", "2", "-q")).redirectInput(data.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        ChildJvm.Result r = ChildJvm.output(dir);
        assertEquals(0, p.exitValue(), r::story);
        assertTrue(r.out().contains("w: ["), r::story);
    }

    @Test
    void endlessOrBinaryInputIsOneLineNotAHang() {
        Cli zeroData = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("train", "--device", "java", "--data", "/dev/zero"));
        assertEquals(2, zeroData.exit(), zeroData::story);
        assertEquals(List.of("d2l-cl: /dev/zero: is not text (it looks like binary data: a zero byte at offset 0); a CSV"
                + " file is expected"), zeroData.errLines());
        Cli random = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("train", "--device", "java", "--data", "/dev/urandom"));
        assertEquals(2, random.exit(), random::story);
        assertEquals(1, random.errLines().size(), random::story);
        Cli zeroModel = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("predict", "--device", "java", "--model", "/dev/zero", "--data", "/dev/zero"));
        assertEquals(2, zeroModel.exit(), zeroModel::story);
        assertEquals(List.of("d2l-cl: /dev/zero: is larger than 64 MiB, the most a model file may be"),
                zeroModel.errLines());
    }
}
