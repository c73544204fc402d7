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
 * ({@code d2l.plt.scatter(features[:, 1], labels, 1)}, a feature against the labels, small points)
 * with the trained model's line, and the loss per epoch on a log scale whose range is labelled at
 * both ends.
 */
final class Plots {
    /** At most this many points are drawn in the scatter (the first rows of the data). */
    static final int MAX_POINTS = 20_000;

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private Plots() {
    }

    /**
     * Writes {@code data.png}: feature {@code j} of {@code data} against its labels, and the model
     * {@code y = w·x + b} along that feature with every other feature at its mean (for one feature,
     * the fitted line itself).
     *
     * @param featureName the feature's name for the axis, or null
     * @param labelName the label's name for the axis, or null
     * @param w the model's weights in the units of {@code data}, or null for no line
     */
    static Path scatter(Path dir, Dataset data, int j, String featureName, String labelName, float[] w, float b) {
        return write(scatterChart(data, j, featureName, labelName, w, b, null), dir.resolve("data.png"));
    }

    /** The same into {@code file}, titled {@code title}. */
    static Path scatter(Path file, Dataset data, int j, String featureName, String labelName, float[] w, float b,
            String title) {
        return write(scatterChart(data, j, featureName, labelName, w, b, title), file);
    }

    static XYChart scatterChart(Dataset data, int j, String featureName, String labelName, float[] w, float b) {
        return scatterChart(data, j, featureName, labelName, w, b, null);
    }

    private static XYChart scatterChart(Dataset data, int j, String featureName, String labelName, float[] w,
            float b, String title) {
        int n = Math.min(data.n(), MAX_POINTS);
        int d = data.d();
        double[] x = new double[n];
        double[] y = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = data.features()[i * d + j];
            y[i] = data.labels()[i];
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        String xName = featureName != null ? featureName : "features[:, " + j + "]";
        String yName = labelName != null ? labelName : "labels";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title != null ? title : n < data.n() ? "the first " + n + " of " + data.n() + " examples"
                        : data.n() + " examples")
                .xAxisTitle(xName).yAxisTitle(yName).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(w != null);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        XYSeries points = chart.addSeries(yName, x, y);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(31, 119, 180));
        if (w != null && n > 0) {
            double offset = b;
            for (int k = 0; k < d; k++) {
                if (k != j) {
                    double mean = 0;
                    for (int i = 0; i < data.n(); i++) {
                        mean += data.features()[i * d + k];
                    }
                    offset += w[k] * (mean / data.n());
                }
            }
            String label = String.format(Locale.ROOT, "y = %.4g x %s %.4g%s", w[j], offset < 0 ? "-" : "+",
                    Math.abs(offset), d > 1 ? ", others at their mean" : "");
            XYSeries line = chart.addSeries(label, new double[] {lo, hi},
                    new double[] {w[j] * lo + offset, w[j] * hi + offset});
            line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(214, 39, 40));
        }
        return chart;
    }

    /**
     * Writes {@code loss.png}: the loss after each epoch on a log scale, and the held-out loss when
     * there is one. Points that are not finite and positive (a diverged run) are left out.
     *
     * @param heldOutLoss one per epoch, or null
     */
    static Path loss(Path dir, double[] loss, double[] heldOutLoss) {
        return write(lossChart(loss, heldOutLoss, "epoch", "loss per epoch"), dir.resolve("loss.png"));
    }

    /** The loss per {@code step} (an iteration, say) into {@code file}, titled {@code title}. */
    static Path loss(Path file, double[] loss, String step, String title) {
        return write(lossChart(loss, null, step, title), file);
    }

    static XYChart lossChart(double[] loss, double[] heldOutLoss) {
        return lossChart(loss, heldOutLoss, "epoch", "loss per epoch");
    }

    private static XYChart lossChart(double[] loss, double[] heldOutLoss, String step, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(step).yAxisTitle("loss").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
        double[] range = {Double.POSITIVE_INFINITY, 0};
        addLossSeries(chart, "train", loss, new Color(31, 119, 180), range);
        if (heldOutLoss != null) {
            addLossSeries(chart, "held out", heldOutLoss, new Color(255, 127, 14), range);
        }
        if (loss.length > 50) {
            chart.getStyler().setMarkerSize(0); // one point per iteration: the line alone
            chart.getStyler().setXAxisTickMarkSpacingHint(90);
        }
        // Labels at every decade are enough over a wide range; over less than two decades, label 2x, 3x, ... too.
        chart.getStyler().setYAxisLogarithmicDecadeOnly(range[1] / range[0] >= 100);
        if (range[1] > 0) {
            // The axis runs from a labelled tick below the smallest value to one above the largest, so
            // the last epochs' values can be read off it (and each series' last value is in the legend).
            chart.getStyler().setYAxisMin(tickBelow(range[0], range[1] / range[0] >= 100));
            chart.getStyler().setYAxisMax(tickAbove(range[1], range[1] / range[0] >= 100));
        }
        return chart;
    }

    /** The largest tick of a log axis at or below {@code v}: a power of ten, or a multiple 1..9 of one. */
    static double tickBelow(double v, boolean decadesOnly) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        return decadesOnly ? decade : Math.floor(v / decade) * decade;
    }

    /** The smallest tick of a log axis at or above {@code v}. */
    static double tickAbove(double v, boolean decadesOnly) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        return decadesOnly ? (v == decade ? v : 10 * decade) : Math.ceil(v / decade) * decade;
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
        XYSeries series = chart.addSeries(name + " (last " + last(values.get(values.size() - 1)) + ")", epochs,
                values);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    /** A log-axis tick value to three significant digits: {@code 0.003}, {@code 2000}, {@code 1.0e-07}. */
    static String tick(double v) {
        return significant(v, 3, "%.2g");
    }

    /** A loss as the legend gives it: six significant digits, {@code 1385.57}, {@code 5.02395e-05}. */
    static String last(double v) {
        return significant(v, 6, "%.5e");
    }

    /** {@code v} to {@code digits} significant digits, written out in [1e-4, 1e6), else in {@code outside}. */
    private static String significant(double v, int digits, String outside) {
        if (v >= 1e-4 && v < 1e6) {
            return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, outside, v);
    }

    /** Writes the PNG with {@link AtomicFile#write}: a failed write leaves no file, not even an empty one. */
    static Path write(XYChart chart, Path file) {
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
