package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.d2lcl.Sweep;
import org.d2lcl.Sweep.Setting;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The sweep's figures, from results made here: a series per run, coloured by the first varied
 * setting and marked by the second; a legend of every run up to {@link SweepPlots#LEGEND_RUNS} and
 * of the colours alone beyond; a diverged epoch left out; the errors against n with their reference.
 */
class SweepPlotsTest {
    /** Results of {@code sweep}'s runs, run k's losses 1/(k+1) per epoch, the last run diverged after epoch 1. */
    private static Sweep.Results results(Sweep sweep) {
        List<Sweep.Run> runs = sweep.runs();
        List<Sweep.Result> results = new ArrayList<>();
        for (Sweep.Run run : runs) {
            boolean diverges = run.index() == runs.size() - 1;
            int epochs = diverges ? 1 : run.config().epochs();
            double[] losses = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                losses[e] = 1.0 / (run.index() + 1) / (e + 1);
            }
            float error = 1f / (float) Math.sqrt(run.examples());
            results.add(new Sweep.Result(run, losses, null, new float[] {2f - error, -3.4f}, 4.2f - error,
                    diverges ? new Sweep.Divergence(2, 7, Double.POSITIVE_INFINITY) : null, 0.1,
                    new float[] {2f, -3.4f}, 4.2f));
        }
        return new Sweep.Results("test", results, 1.0, runs.size() + " runs");
    }

    @Test
    void everyRunIsASeriesColouredByTheFirstSettingAndMarkedByTheSecond() {
        Sweep sweep = Sweep.chapter().lr(0.001f, 0.01f, 0.1f).batchSize(1, 10);
        XYChart chart = SweepPlots.lossChart(results(sweep), sweep.varied());
        Map<String, XYSeries> series = series(chart);
        assertEquals(6, series.size(), series.keySet().toString());
        XYSeries a = series.get("lr 0.001, batch-size 1");
        XYSeries b = series.get("lr 0.001, batch-size 10");
        XYSeries c = series.get("lr 0.01, batch-size 1");
        assertEquals(a.getLineColor(), b.getLineColor(), "one lr, one colour");
        assertNotEquals(a.getLineColor(), c.getLineColor(), "another lr, another colour");
        assertNotEquals(a.getMarker(), b.getMarker(), "another batch size, another marker");
        assertEquals(3, a.getXData().length, "3 epochs");
        assertEquals(1, series.get("lr 0.1, batch-size 10").getXData().length, "the diverged epoch is left out");
        assertTrue(series.values().stream().allMatch(XYSeries::isShowInLegend));
        assertTrue(chart.getTitle().contains("colour: lr, marker: batch-size"), chart.getTitle());
    }

    @Test
    void beyondThirtyRunsTheLegendKeysTheColours() {
        Sweep sweep = Sweep.chapter().lr(0.01f, 0.02f, 0.03f, 0.04f).seed(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        XYChart chart = SweepPlots.lossChart(results(sweep), sweep.varied());
        List<String> legend = chart.getSeriesCollection().stream().filter(XYSeries::isShowInLegend)
                .map(XYSeries::getName).toList();
        assertEquals(List.of("lr 0.01", "lr 0.02", "lr 0.03", "lr 0.04"), legend);
        assertEquals(40, chart.getSeriesCollection().size());
    }

    @Test
    void theErrorsAgainstNFallWithTheReference() {
        Sweep sweep = Sweep.chapter().examples(100, 10000, 1000).epochs(1, 2);
        List<Setting> varied = sweep.varied();
        XYChart chart = SweepPlots.errorChart(results(sweep), varied);
        Map<String, XYSeries> series = series(chart);
        XYSeries w = series.get("epochs 1: |w - ŵ|");
        assertEquals(List.of(100.0, 1000.0, 10000.0), doubles(w.getXData()), "sorted by n");
        assertEquals(2, series.get("epochs 2: |b - b̂|").getXData().length, "the diverged run is left out");
        double[] reference = series.get("σ/√n (σ = 0.01, the label noise)").getYData();
        assertEquals(0.01 / Math.sqrt(100), reference[0], 1e-12);
        assertEquals(5, series.size(), series.keySet().toString());
    }

    private static Map<String, XYSeries> series(XYChart chart) {
        Map<String, XYSeries> byName = new LinkedHashMap<>();
        chart.getSeriesCollection().forEach(s -> byName.put(s.getName(), s));
        return byName;
    }

    private static List<Double> doubles(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
