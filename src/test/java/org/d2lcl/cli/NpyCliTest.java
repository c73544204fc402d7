package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} and {@code predict} on a .npy file, and {@code convert}: the same results as on the CSV it came from. */
class NpyCliTest {
    @TempDir
    Path dir;

    private Path csv() throws IOException {
        StringBuilder text = new StringBuilder("x1,x2,y\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 50; i++) {
            float x1 = (float) random.nextGaussian(), x2 = (float) random.nextGaussian();
            text.append(x1).append(',').append(x2).append(',').append(2 * x1 - 3.4f * x2 + 4.2f).append('\n');
        }
        Path f = dir.resolve("data.csv");
        Files.writeString(f, text);
        return f;
    }

    private Path converted() throws IOException {
        Path npy = dir.resolve("data.npy");
        Cli c = Cli.run("convert", csv().toString(), npy.toString());
        assertEquals(0, c.exit(), c.story());
        assertEquals(List.of(npy + ": 50 rows x 3 columns, float32"), c.outLines(), c.story());
        return npy;
    }

    @Test
    void trainsOnTheNpyAsOnItsCsv() throws IOException {
        Path npy = converted();
        for (String label : new String[] {"2", "0"}) {
            String[] common = {"--batch-size", "7", "--epochs", "3", "--device", "java", "--label", label};
            Cli fromCsv = Cli.run(concat(new String[] {"train", "--data", dir.resolve("data.csv").toString()}, common));
            Cli fromNpy = Cli.run(concat(new String[] {"train", "--data", npy.toString()}, common));
            assertEquals(0, fromNpy.exit(), fromNpy.story());
            assertEquals(fromCsv.out(), fromNpy.out(), "label " + label);
        }
    }

    @Test
    void predictsForTheRowsOfANpy() throws IOException {
        Path npy = converted();
        Path model = dir.resolve("model.json");
        Cli train = Cli.run("train", "--data", npy.toString(), "--device", "java", "--save-model", model.toString(),
                "--quiet");
        assertEquals(0, train.exit(), train.story());
        Path features = dir.resolve("x.npy");
        Files.writeString(dir.resolve("x.csv"), "1,2\n-3,0.5\n");
        assertEquals(0, Cli.run("convert", dir.resolve("x.csv").toString(), features.toString()).exit());
        Cli fromNpy = Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--device", "java");
        Cli fromCsv = Cli.run("predict", "--model", model.toString(), "--data", dir.resolve("x.csv").toString(),
                "--device", "java");
        assertEquals(0, fromNpy.exit(), fromNpy.story());
        assertEquals(3, fromNpy.outLines().size(), fromNpy.story());
        assertEquals(fromCsv.out(), fromNpy.out());
        Cli wide = Cli.run("predict", "--model", model.toString(), "--data", npy.toString(), "--device", "java");
        assertBad(wide, npy + " has 3 columns; the model takes 2 features");
    }

    @Test
    void predictStreamsANpyChunkByChunkWithTheSameBits() throws IOException {
        Path npy = converted();
        Path model = dir.resolve("model.json");
        assertEquals(0, Cli.run("train", "--data", npy.toString(), "--device", "java", "--standardize", "--save-model",
                model.toString(), "--quiet").exit());
        int rows = PredictCommand.CHUNK_ROWS + 1234; // two chunks, the second ragged
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            text.append((i % 97) / 7f - 3).append(',').append((i % 89) / 5f + 1).append('\n');
        }
        Path csv = dir.resolve("many.csv");
        Files.writeString(csv, text);
        Path features = dir.resolve("many.npy");
        assertEquals(0, Cli.run("convert", csv.toString(), features.toString()).exit());
        for (String device : new String[] {"java", "0"}) {
            Path fromNpy = dir.resolve("npy-" + device + ".csv"), fromCsv = dir.resolve("csv-" + device + ".csv");
            Cli streamed = Cli.run("predict", "--model", model.toString(), "--data", features.toString(), "--device",
                    device, "--out", fromNpy.toString());
            assertEquals(0, streamed.exit(), streamed.story());
            assertEquals(0, Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--device", device,
                    "--out", fromCsv.toString()).exit());
            List<String> expected = Files.readAllLines(fromCsv);
            assertEquals(rows + 1, expected.size());
            assertEquals(expected, Files.readAllLines(fromNpy), device);
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path npy = converted();
        assertBad(Cli.run("train", "--data", npy.toString(), "--label", "y", "--device", "java"),
                "--label y: " + npy + " is a .npy file, which has no column names, so the label is a 0-based column"
                        + " index, 0 to 2");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2\n3\n");
        assertBad(Cli.run("convert", bad.toString(), dir.resolve("out.npy").toString()),
                bad + " line 2: 1 columns, expected 2 as in the first line");
        assertTrue(Files.notExists(dir.resolve("out.npy")));
        assertBad(Cli.run("convert", bad.toString(), dir.resolve("out.csv").toString()), "must end in .npy");
        assertBad(Cli.run("convert", dir.resolve("none.csv").toString(), dir.resolve("out.npy").toString()),
                "no such file");
        assertBad(Cli.run("convert", bad.toString(), dir.resolve("no/out.npy").toString()), "does not exist");
        Files.write(dir.resolve("short.npy"), java.util.Arrays.copyOf(Files.readAllBytes(npy), 200));
        assertBad(Cli.run("train", "--data", dir.resolve("short.npy").toString(), "--device", "java"), "truncated");
    }

    @Test
    void aStreamedRunPrintsWhatTheInMemoryRunPrints() throws IOException {
        Path npy = converted();
        for (String device : new String[] {"java", "0", "java --standardize", "0 --standardize --holdout 0.2"}) {
            for (String kernels : new String[] {"unfused", "fused", "epoch"}) {
                String[] common = concat(new String[] {"train", "--data", npy.toString(), "--batch-size", "7",
                        "--epochs", "3", "--kernels", kernels, "--device"}, device.split(" "));
                Cli inMemory = Cli.run(common);
                Cli streamed = Cli.run(concat(common, new String[] {"--device-memory", "1200"}));
                assertEquals(0, streamed.exit(), streamed.story());
                java.util.regex.Matcher chunk = java.util.regex.Pattern.compile(" streams in chunks of (\\d+) rows \\(")
                        .matcher(streamed.err());
                assertTrue(chunk.find() && Integer.parseInt(chunk.group(1)) % 7 == 0
                        && Integer.parseInt(chunk.group(1)) < 50, "chunks of whole minibatches, fewer than n\n"
                        + streamed.story());
                assertTrue(!inMemory.err().contains("streams"), inMemory.story());
                assertEquals(inMemory.outLines(), streamed.outLines(), device + " " + kernels + "\n" + streamed.story());
            }
        }
    }

    @Test
    void aBudgetItCannotKeepIsOneLine() throws IOException {
        Path npy = converted();
        String file = npy.toString();
        assertBad(Cli.run("train", "--data", file, "--device-memory", "600", "--device", "java"),
                "--device-memory 600: 600 bytes: a streamed run of batch size 10 on 50 x 2 data needs at least");
        assertBad(Cli.run("train", "--data", file, "--device-memory", "1x"), "--device-memory 1x: must be a number of"
                + " bytes >= 1, e.g. 1073741824 or 1G (K, M, G: powers of 1024)");
        assertBad(Cli.run("train", "--data", file, "--device-memory", "0"), "--device-memory 0: must be");
        assertBad(Cli.run("train", "--device-memory", "1G"), "--device-memory 1G: a device-memory budget streams a"
                + " --data FILE.npy");
        assertBad(Cli.run("train", "--data", dir.resolve("data.csv").toString(), "--device-memory", "1G"),
                "is not a .npy file; a streamed run maps one (d2l-cl convert DATA.csv DATA.npy makes it)");
        for (String[] option : new String[][] {{"--checkpoint", dir.resolve("c.json").toString()},
            {"--plot", dir.resolve("plots").toString()}}) {
            assertBad(Cli.run(concat(new String[] {"train", "--data", file, "--device-memory", "1200", "--device", "java"},
                    option)), option[0]);
        }
    }

    private static void assertBad(Cli c, String part) {
        assertEquals(2, c.exit(), c.story());
        assertEquals(1, c.errLines().size(), c.story());
        assertTrue(c.err().startsWith("d2l-cl: ") && c.err().contains(part), c.story());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
