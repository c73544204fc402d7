package org.d2lcl.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.d2lcl.Sweep;
import org.d2lcl.Sweep.Setting;

/**
 * How {@code sweep} reports on standard output: a table with a row per run, or one JSON object per
 * run and one for the sweep ({@code --json}).
 */
abstract class SweepReport {
    protected final PrintWriter out;

    SweepReport(PrintWriter out) {
        this.out = out;
    }

    /** Before training. */
    abstract void start(String device, Sweep sweep, int runs);

    /** After the last run. */
    abstract void end(Sweep.Results results, List<Setting> varied, List<Path> plots);

    /** {@code |true_w - w|}, the 2-norm of the error in w, as the chapter's exercises tabulate it. */
    static double errorNorm(float[] error) {
        double sum = 0;
        for (float e : error) {
            sum += (double) e * e;
        }
        return Math.sqrt(sum);
    }

    /**
     * The device, the settings, a row per run (the varied settings, the final loss, the errors in w
     * and b, whether it diverged and its time), and how the runs were trained; {@code quiet}: the
     * table alone.
     */
    static final class Text extends SweepReport {
        private final boolean quiet;

        Text(PrintWriter out, boolean quiet) {
            super(out);
            this.quiet = quiet;
        }

        @Override
        void start(String device, Sweep sweep, int runs) {
            if (quiet) {
                return;
            }
            out.println("device: " + device);
            List<Setting> varied = sweep.varied();
            Sweep.Run first = sweep.runs().get(0);
            String fixed = EnumSet.complementOf(varied.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(varied))
                    .stream().map(s -> s.label() + " " + s.of(first)).collect(Collectors.joining(", "));
            out.println("sweep: " + runs + (runs == 1 ? " run" : " runs")
                    + (varied.isEmpty() ? "" : " over " + varied.stream().map(Setting::label)
                            .collect(Collectors.joining(" x ")))
                    + (fixed.isEmpty() ? "" : "; " + fixed));
        }

        @Override
        void end(Sweep.Results results, List<Setting> varied, List<Path> plots) {
            List<String> head = new ArrayList<>();
            List<Boolean> left = new ArrayList<>();
            for (Setting s : varied) {
                head.add(s.label());
                left.add(Double.isNaN(s.number(results.runs().get(0).run())));
            }
            for (String h : new String[] {"final loss", "|true_w - w|", "true_b - b", "diverged", "seconds"}) {
                head.add(h);
                left.add(h.equals("diverged"));
            }
            List<List<String>> rows = new ArrayList<>();
            for (Sweep.Result r : results.runs()) {
                List<String> row = new ArrayList<>();
                for (Setting s : varied) {
                    row.add(s.of(r.run()));
                }
                row.add(r.losses().length == 0 ? "-" : format("%.6g", r.finalLoss())); // diverged in epoch 1
                row.add(r.errorW() == null ? "-" : format("%.2e", errorNorm(r.errorW())));
                row.add(Float.isNaN(r.errorB()) ? "-" : format("%.2e", r.errorB()));
                row.add(r.diverged() == null ? "no" : "epoch " + r.diverged().epoch()
                        + (r.diverged().step() > 0 ? ", step " + r.diverged().step() : ""));
                row.add(format("%.3f", r.seconds()));
                rows.add(row);
            }
            int[] width = new int[head.size()];
            for (int c = 0; c < width.length; c++) {
                width[c] = head.get(c).length();
                for (List<String> row : rows) {
                    width[c] = Math.max(width[c], row.get(c).length());
                }
            }
            print(head, width, left);
            for (List<String> row : rows) {
                print(row, width, left);
            }
            if (!quiet) {
                out.println(format("trained: %s in %.2f s", results.schedule(), results.seconds()));
                plots.forEach(p -> out.println("plot: " + p));
            }
        }

        private void print(List<String> cells, int[] width, List<Boolean> left) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                String cell = cells.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(left.get(c) ? cell + pad : pad + cell);
            }
            out.println(line.toString().stripTrailing());
        }

        /** A number that is not finite reads {@code nan}, {@code inf}. */
        private static String format(String pattern, double v) {
            if (Double.isNaN(v)) {
                return "nan";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            return String.format(Locale.ROOT, pattern, v);
        }

        private static String format(String pattern, Object... args) {
            return String.format(Locale.ROOT, pattern, args);
        }
    }

    /**
     * One JSON object per line: {@code {"type":"run",...}} for each run, in order, then
     * {@code {"type":"sweep",...}}. A loss that is not finite is written as null.
     */
    static final class Json extends SweepReport {
        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void start(String device, Sweep sweep, int runs) {
        }

        @Override
        void end(Sweep.Results results, List<Setting> varied, List<Path> plots) {
            for (Sweep.Result r : results.runs()) {
                JsonObject o = new JsonObject();
                o.addProperty("type", "run");
                o.addProperty("run", r.run().index() + 1);
                JsonObject params = new JsonObject();
                params.addProperty("lr", r.run().config().lr());
                params.addProperty("batch_size", r.run().config().batchSize());
                params.addProperty("epochs", r.run().config().epochs());
                params.addProperty("seed", r.run().config().seed());
                params.addProperty("init", Setting.INIT.of(r.run()));
                params.addProperty("loss", r.run().config().loss().toString());
                params.addProperty("optimizer", r.run().config().optimizer().toString());
                params.addProperty("examples", r.run().examples());
                params.addProperty("kernels", r.run().config().kernels().toString());
                o.add("params", params);
                JsonArray losses = new JsonArray();
                for (double l : r.losses()) {
                    losses.add(TrainReport.Json.finite(l));
                }
                o.add("losses", losses);
                o.addProperty("loss", TrainReport.Json.finite(r.finalLoss()));
                o.add("w", TrainReport.Json.floats(r.w()));
                o.addProperty("b", r.b());
                if (r.errorW() != null) {
                    o.add("error_w", TrainReport.Json.floats(r.errorW()));
                    o.addProperty("error_b", r.errorB());
                }
                o.addProperty("diverged", r.diverged() != null);
                if (r.diverged() != null) {
                    o.addProperty("diverged_epoch", r.diverged().epoch());
                    if (r.diverged().step() > 0) {
                        o.addProperty("diverged_step", r.diverged().step());
                    }
                }
                o.addProperty("seconds", r.seconds());
                out.println(o);
            }
            JsonObject o = new JsonObject();
            o.addProperty("type", "sweep");
            o.addProperty("device", results.device());
            o.addProperty("runs", results.runs().size());
            JsonArray settings = new JsonArray();
            varied.forEach(s -> settings.add(s.label()));
            o.add("varied", settings);
            o.addProperty("schedule", results.schedule());
            o.addProperty("seconds", results.seconds());
            if (!plots.isEmpty()) {
                JsonArray files = new JsonArray();
                plots.forEach(p -> files.add(p.toString()));
                o.add("plots", files);
            }
            out.println(o);
        }
    }
}
