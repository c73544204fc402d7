package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** Pixels of the scatter's marker colour. */
    private static int bluePixels(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
                    count++;
                }
            }
        }
        return count;
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
}
