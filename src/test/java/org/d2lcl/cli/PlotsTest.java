package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.d2lcl.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class PlotsTest {
    @TempDir
    Path dir;

    /** Distinct colours in the image: a blank or failed chart has one or two. */
    private static int colours(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth(), png.toString());
        assertEquals(420, image.getHeight(), png.toString());
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** Pixels of one colour ({@code 0xRRGGBB}): the scatter's markers are 0x1f77b4, the model's line 0xd62728. */
    private static int pixels(Path png, int rgb) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    private static int bluePixels(Path png) throws IOException {
        return pixels(png, 0x1f77b4);
    }

    private static int redPixels(Path png) throws IOException {
        return pixels(png, 0xd62728);
    }

    @Test
    void trainWritesTheScatterAndTheLossCurve() throws IOException {
        Path plots = dir.resolve("plots");
        Cli cli = Cli.run("train", "--device", "java", "--plot", plots.toString(), "--holdout", "0.1");
        assertEquals(0, cli.exit(), cli.story());
        assertTrue(cli.out().contains("plot: " + plots.resolve("data.png") + "\nplot: " + plots.resolve("loss.png")),
                cli.story());
        assertTrue(colours(plots.resolve("data.png")) > 10, "the scatter has points, axes and text");
        assertTrue(bluePixels(plots.resolve("data.png")) > 1000, "1000 small points are drawn");
        assertTrue(colours(plots.resolve("loss.png")) > 10, "the loss plot has two curves, axes and text");
    }

    @Test
    void noEpochsNoLossCurve() {
        Path plots = dir.resolve("plots");
        Cli cli = Cli.run("train", "--device", "java", "--plot", plots.toString(), "--epochs", "0", "-q");
        assertEquals(0, cli.exit(), cli.story());
        assertTrue(plots.resolve("data.png").toFile().isFile());
        assertTrue(!plots.resolve("loss.png").toFile().exists());
    }

    @Test
    void aDivergedLossLeavesOutWhatALogScaleCannotShow() throws IOException {
        Path file = Plots.loss(dir, new double[] {1, 0.1, Double.POSITIVE_INFINITY, Double.NaN, 0}, null);
        assertTrue(colours(file) > 10);
    }

    @Test
    void logTicksAreShortAndExact() {
        assertEquals("0.003", Plots.tick(3 * Math.pow(10, -3)));
        assertEquals("2000", Plots.tick(2000.0000000000002));
        assertEquals("1.0e-07", Plots.tick(1e-7));
        assertEquals("0.0001", Plots.tick(1.0000000000000001e-4));
    }

    @Test
    void theScatterCarriesTheModelsLineAlongTheChosenFeature() throws IOException {
        // y = 2 x0 - 1 x1 + 3 on x0 = i, x1 = 10: along x0 the line is 2 x + (3 - 10) = 2 x - 7.
        int n = 5;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10;
            y[i] = 2 * i - 7;
        }
        Dataset data = new Dataset(x, y, n, 2);
        XYChart chart = Plots.scatterChart(data, 0, "x0", "y", new float[] {2f, -1f}, 3f);
        XYSeries line = chart.getSeriesCollection().stream().filter(s -> s.getName().startsWith("y = "))
                .findFirst().orElseThrow();
        assertEquals("y = 2.000 x - 7.000, others at their mean", line.getName());
        assertArrayEquals(new double[] {0, 4}, line.getXData(), 0);
        assertArrayEquals(new double[] {-7, 1}, line.getYData(), 0);
        assertEquals("x0", chart.getXAxisTitle());
        assertTrue(redPixels(Plots.scatter(dir, data, 0, "x0", "y", new float[] {2f, -1f}, 3f)) > 100, "drawn");
    }

    @Test
    void theLossAxisRunsFromALabelledTickBelowTheLastValueAndTheLegendGivesIt() {
        // The diabetes run's range: from 7251.9 down to 1385.6, less than two decades.
        XYChart chart = Plots.lossChart(new double[] {7251.877, 4227.538, 2781.465, 1385.573}, null);
        assertEquals(1000.0, chart.getStyler().getYAxisMin(), 0);
        assertEquals(8000.0, chart.getStyler().getYAxisMax(), 0);
        assertEquals("train (last 1385.57)", chart.getSeriesCollection().iterator().next().getName());
        // Over many decades the axis ends at decades.
        XYChart wide = Plots.lossChart(new double[] {0.03, 0.0001, 5.02e-5}, null);
        assertEquals(1e-5, wide.getStyler().getYAxisMin(), 1e-20);
        assertEquals(0.1, wide.getStyler().getYAxisMax(), 1e-15);
    }

    @Test
    void plotFeatureChoosesTheScattersColumnAndABadOneStopsBeforeTraining() throws IOException {
        Path plots = dir.resolve("plots");
        Path csv = java.nio.file.Files.writeString(dir.resolve("d.csv"), "age,bmi,y\n30,20,1\n40,25,2\n50,30,3\n");
        Cli ok = Cli.run("train", "--device", "java", "--data", csv.toString(), "--batch-size", "1", "--plot",
                plots.toString(), "--plot-feature", "BMI", "-q");
        assertEquals(0, ok.exit(), ok.story());
        assertTrue(plots.resolve("data.png").toFile().isFile(), ok.story());
        Cli bad = Cli.run("train", "--device", "java", "--data", csv.toString(), "--batch-size", "1", "--plot",
                dir.resolve("other").toString(), "--plot-feature", "height");
        assertEquals(Main.BAD_INPUT, bad.exit(), bad.story());
        assertEquals(java.util.List.of("d2l-cl: --plot-feature height: must be a feature's name (age, bmi) or an"
                + " index from 0 to 1"), bad.errLines(), bad.story());
        assertTrue(bad.outLines().stream().noneMatch(l -> l.startsWith("epoch")), "no training: " + bad.story());
    }

    /** {@code d2l-cl online}: a line every --every iterations, the fits and the loss curve; lr 1e-3 exits 3. */
    @Test
    void theOnlineCommandPrintsAndDrawsAndDivergesAtLr1e3() throws IOException {
        Path plots = dir.resolve("online");
        Cli ok = Cli.run("online", "--device", "java", "--iterations", "100", "--every", "50", "--plot",
                plots.toString());
        assertEquals(0, ok.exit(), ok.story());
        assertTrue(ok.outLines().get(1).startsWith("iteration 50, loss "), ok.story());
        assertTrue(ok.outLines().get(2).startsWith("iteration 100, loss "), ok.story());
        assertTrue(ok.outLines().get(3).startsWith("w: "), ok.story());
        assertTrue(redPixels(plots.resolve("fit-0050.png")) > 100, "the fitted line is drawn");
        assertTrue(colours(plots.resolve("loss.png")) > 10, "the loss curve is drawn");
        Cli diverged = Cli.run("online", "--device", "java", "--lr", "1e-3");
        assertEquals(Main.DIVERGED, diverged.exit(), diverged.story());
        assertTrue(diverged.err().contains("training diverged at iteration "), diverged.story());
    }
}
