package org.d2lcl.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.data.Dataset;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;


/**
 * The chapter's two pictures as PNG files, drawn with XChart, headless: the data scatter
 * ({@code d2l.plt.scatter(features[:, 1], labels, 1)}, the second feature against the labels, small
 * points) and the loss per epoch on a log scale.
 */
final class Plots {
    /** At most this many points are drawn in the scatter (the first rows of the data). */
    static final int MAX_POINTS = 20_000;

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private Plots() {
    }

    /**
     * Writes {@code data.png}: feature {@code min(1, d - 1)} of {@code data} against its labels.
     *
     * @param featureName the feature's name for the axis, or null
     * @param labelName the label's name for the axis, or null
     */
    static Path scatter(Path dir, Dataset data, String featureName, String labelName) {
        int j = Math.min(1, data.d() - 1);
        int n = Math.min(data.n(), MAX_POINTS);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = data.features()[i * data.d() + j];
            y[i] = data.labels()[i];
        }
        String xName = featureName != null ? featureName : "features[:, " + j + "]";
        String yName = labelName != null ? labelName : "labels";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(n < data.n() ? "the first " + n + " of " + data.n() + " examples" : data.n() + " examples")
                .xAxisTitle(xName).yAxisTitle(yName).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        XYSeries points = chart.addSeries(yName, x, y);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(31, 119, 180));
        return write(chart, dir.resolve("data.png"));
    }

    /**
     * Writes {@code loss.png}: the loss after each epoch on a log scale, and the held-out loss when
     * there is one. Points that are not finite and positive (a diverged run) are left out.
     *
     * @param heldOutLoss one per epoch, or null
     */
    static Path loss(Path dir, double[] loss, double[] heldOutLoss) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("loss per epoch")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setLegendVisible(heldOutLoss != null);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
        double[] range = {Double.POSITIVE_INFINITY, 0};
        addLossSeries(chart, "train", loss, new Color(31, 119, 180), range);
        if (heldOutLoss != null) {
            addLossSeries(chart, "held out", heldOutLoss, new Color(255, 127, 14), range);
        }
        // Labels at every decade are enough over a wide range; over less than two decades, label 2x, 3x, ... too.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(range[1] / range[0] >= 100);
        return write(chart, dir.resolve("loss.png"));
    }

    private static void addLossSeries(XYChart chart, String name, double[] loss, Color color, double[] range) {
        List<Integer> epochs = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int e = 0; e < loss.length; e++) {
            if (Double.isFinite(loss[e]) && loss[e] > 0) {
                epochs.add(e + 1);
                values.add(loss[e]);
                range[0] = Math.min(range[0], loss[e]);
                range[1] = Math.max(range[1], loss[e]);
            }
        }
        if (epochs.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, epochs, values);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    /** A log-axis tick value to three significant digits: {@code 0.003}, {@code 2000}, {@code 1e-07}. */
    static String tick(double v) {
        if (v >= 1e-4 && v < 1e6) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    /** Writes the PNG with {@link AtomicFile#write}: a failed write leaves no file, not even an empty one. */
    private static Path write(XYChart chart, Path file) {
        try {
            Files.createDirectories(file.getParent());
            java.awt.image.BufferedImage image = BitmapEncoder.getBufferedImage(chart);
            AtomicFile.write(file, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": the plot cannot be written (" + AtomicFile.reason(e) + ")", e);
        }
        return file;
    }
}
