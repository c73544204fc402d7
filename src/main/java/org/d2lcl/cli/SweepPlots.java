package org.d2lcl.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.d2lcl.Sweep;
import org.d2lcl.Sweep.Setting;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A sweep's two pictures, drawn with XChart as {@link Plots} draws a run's: every run's loss per
 * epoch on one figure (log scale), coloured by the first varied setting (a dark-to-light scale for
 * numbers, distinct colours for names), marked by the second and dashed by the third (by the second
 * when there is no third); and, for a
 * sweep over the number of examples, the chapter's exercise: the errors {@code |w - ŵ|} and
 * {@code |b - b̂|} against n on log-log axes, beside {@code σ/√n} (σ = 0.01, the label noise).
 * The charts are public for the notebooks, which show them inline.
 */
public final class SweepPlots {
    /** The files {@code --plot DIR} writes. */
    static final String LOSS = "sweep-loss.png";
    static final String ERROR = "sweep-error.png";

    /** Above this many runs the legend keys the colours alone, one entry per value. */
    static final int LEGEND_RUNS = 30;

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.OVAL, SeriesMarkers.TRAPEZOID, SeriesMarkers.RECTANGLE};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};
    /** Matplotlib's tab10, for settings that are names. */
    private static final Color[] TAB10 = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    /** Viridis at five points, for settings that are numbers: small values dark, large ones light. */
    private static final Color[] VIRIDIS = {new Color(68, 1, 84), new Color(59, 82, 139), new Color(33, 145, 140),
        new Color(94, 201, 98), new Color(253, 231, 37)};

    private static final int WIDTH = 820;
    private static final int HEIGHT = 480;

    private SweepPlots() {
    }

    /** Writes {@code sweep-loss.png} into {@code dir}. */
    static Path loss(Path dir, Sweep.Results results, List<Setting> varied) {
        return Plots.write(lossChart(results, varied), dir.resolve(LOSS));
    }

    /** Writes {@code sweep-error.png} into {@code dir}. */
    static Path error(Path dir, Sweep.Results results, List<Setting> varied) {
        return Plots.write(errorChart(results, varied), dir.resolve(ERROR));
    }

    /**
     * Every run's loss after each epoch, one series a run named by its varied settings; epochs whose
     * loss is not finite and positive (a diverged run's) are left out, and so is a run with none.
     */
    public static XYChart lossChart(Sweep.Results results, List<Setting> varied) {
        List<Sweep.Result> runs = results.runs();
        Setting colour = varied.isEmpty() ? null : varied.get(0);
        Setting marker = varied.size() > 1 ? varied.get(1) : null;
        // Two settings: the second is both marker and dash; three: the third dashes.
        Setting line = varied.size() > 2 ? varied.get(2) : marker;
        String title = runs.size() + (runs.size() == 1 ? " run" : " runs") + ": loss per epoch"
                + (colour == null ? "" : ", colour: " + colour.label()) + (marker == null ? "" : ", marker: "
                + marker.label()) + (line == null || line == marker ? "" : ", line: " + line.label());
        XYChart chart = chart(title, "epoch", "loss");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        Map<String, Integer> colours = values(runs, colour);
        Map<String, Integer> markers = values(runs, marker);
        Map<String, Integer> lines = values(runs, line);
        boolean everyRun = runs.size() <= LEGEND_RUNS;
        List<String> keyed = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Sweep.Result r : runs) {
            List<Integer> epochs = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int e = 0; e < r.losses().length; e++) {
                double l = r.losses()[e];
                if (Double.isFinite(l) && l > 0) {
                    epochs.add(e + 1);
                    values.add(l);
                    lo = Math.min(lo, l);
                    hi = Math.max(hi, l);
                }
            }
            if (epochs.isEmpty()) {
                continue;
            }
            String key = colour == null ? "" : colour.label() + " " + colour.of(r.run());
            boolean first = !keyed.contains(key);
            keyed.add(key);
            String name = varied.isEmpty() ? "the run" : everyRun || !first ? label(r.run(), varied) : key;
            XYSeries s = chart.addSeries(name, epochs, values);
            Color c = colour(colours, colour, r.run());
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(MARKERS[index(markers, marker, r.run()) % MARKERS.length]);
            s.setLineStyle(LINES[index(lines, line, r.run()) % LINES.length]);
            s.setShowInLegend(everyRun || first);
        }
        if (hi > 0) {
            boolean decades = hi / lo >= 100;
            chart.getStyler().setYAxisLogarithmicDecadeOnly(decades);
            chart.getStyler().setYAxisMin(Plots.tickBelow(lo, decades));
            chart.getStyler().setYAxisMax(Plots.tickAbove(hi, decades));
        }
        return chart;
    }

    /**
     * The errors in ŵ and b̂ against the number of examples, one pair of series per combination of
     * the other varied settings; the runs that diverged, and errors of exactly 0, are left out.
     */
    public static XYChart errorChart(Sweep.Results results, List<Setting> varied) {
        List<Setting> others = varied.stream().filter(s -> s != Setting.EXAMPLES).toList();
        XYChart chart = chart("the error against the number of examples", "examples n", "error");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        Map<String, List<Sweep.Result>> groups = new LinkedHashMap<>();
        for (Sweep.Result r : results.runs()) {
            groups.computeIfAbsent(label(r.run(), others), k -> new ArrayList<>()).add(r);
        }
        TreeSet<Integer> ns = new TreeSet<>();
        int g = 0;
        for (Map.Entry<String, List<Sweep.Result>> group : groups.entrySet()) {
            List<Sweep.Result> runs = new ArrayList<>(group.getValue());
            runs.removeIf(r -> r.diverged() != null || r.errorW() == null);
            runs.sort(Comparator.comparingInt(r -> r.run().examples()));
            String prefix = group.getKey().isEmpty() ? "" : group.getKey() + ": ";
            List<Integer> nw = new ArrayList<>();
            List<Double> ew = new ArrayList<>();
            List<Integer> nb = new ArrayList<>();
            List<Double> eb = new ArrayList<>();
            for (Sweep.Result r : runs) {
                double w = SweepReport.errorNorm(r.errorW());
                double b = Math.abs(r.errorB());
                if (w > 0) {
                    nw.add(r.run().examples());
                    ew.add(w);
                }
                if (b > 0) {
                    nb.add(r.run().examples());
                    eb.add(b);
                }
                ns.add(r.run().examples());
            }
            Color wColour = others.isEmpty() ? TAB10[0] : TAB10[(2 * g) % TAB10.length];
            Color bColour = others.isEmpty() ? TAB10[1] : TAB10[(2 * g + 1) % TAB10.length];
            if (!nw.isEmpty()) {
                XYSeries s = chart.addSeries(prefix + "|w - ŵ|", nw, ew);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(wColour);
                s.setLineColor(wColour);
            }
            if (!nb.isEmpty()) {
                XYSeries s = chart.addSeries(prefix + "|b - b̂|", nb, eb);
                s.setMarker(SeriesMarkers.SQUARE);
                s.setMarkerColor(bColour);
                s.setLineColor(bColour);
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
            g++;
        }
        if (!ns.isEmpty()) {
            List<Integer> x = new ArrayList<>(ns);
            List<Double> y = x.stream().map(n -> 0.01 / Math.sqrt(n)).toList();
            XYSeries s = chart.addSeries("σ/√n (σ = 0.01, the label noise)", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.GRAY);
            s.setLineStyle(SeriesLines.DOT_DOT);
        }
        return chart;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
        return chart;
    }

    /** {@code lr 0.001, batch-size 1}: the run's values of {@code settings}; {@code run} when there are none. */
    static String label(Sweep.Run run, List<Setting> settings) {
        if (settings.isEmpty()) {
            return "";
        }
        return settings.stream().map(s -> s.label() + " " + s.of(run)).collect(Collectors.joining(", "));
    }

    /** The values {@code setting} takes among the runs, each with its index: in increasing order for numbers. */
    private static Map<String, Integer> values(List<Sweep.Result> runs, Setting setting) {
        Map<String, Integer> index = new LinkedHashMap<>();
        if (setting == null) {
            return index;
        }
        List<Sweep.Run> sorted = runs.stream().map(Sweep.Result::run).collect(Collectors.toCollection(ArrayList::new));
        if (!Double.isNaN(setting.number(sorted.get(0)))) {
            sorted.sort(Comparator.comparingDouble(setting::number));
        }
        for (Sweep.Run run : sorted) {
            index.putIfAbsent(setting.of(run), index.size());
        }
        return index;
    }

    private static int index(Map<String, Integer> values, Setting setting, Sweep.Run run) {
        return setting == null ? 0 : values.get(setting.of(run));
    }

    /** The run's colour: viridis by rank for a number, tab10 for a name, tab10's blue when nothing varies. */
    private static Color colour(Map<String, Integer> values, Setting setting, Sweep.Run run) {
        if (setting == null) {
            return TAB10[0];
        }
        int i = values.get(setting.of(run));
        if (Double.isNaN(setting.number(run))) {
            return TAB10[i % TAB10.length];
        }
        double t = values.size() == 1 ? 0 : 0.9 * i / (values.size() - 1); // the palest yellow is hard to see
        double at = t * (VIRIDIS.length - 1);
        int k = Math.min((int) at, VIRIDIS.length - 2);
        double f = at - k;
        Color a = VIRIDIS[k];
        Color b = VIRIDIS[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
