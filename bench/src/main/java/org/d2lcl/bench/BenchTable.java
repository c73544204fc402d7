package org.d2lcl.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns JMH's JSON ({@code -rf json}) into the Markdown of docs/performance.md: one table per benchmark (rows
 * the sizes, columns the implementations, cells the rate from {@link Work}: GFLOP/s, GB/s, or ms
 * per run), then each target of the performance goals as a ratio measured in the same run.
 * Every cell is the median over all measured iterations of all forks.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.d2lcl.bench.BenchTable results.json [more.json ...] [device]
 * java -cp bench/target/benchmarks.jar org.d2lcl.bench.BenchTable --runs run1.json run2.json ...</pre>
 *
 * Several JSON files merge (a later file's result for the same benchmark, size and impl wins);
 * without a device description the table names the device this machine's benchmarks use. With
 * {@code --runs}, each file is one whole run and the output is the targets table, a column per run.
 */
public final class BenchTable {
    private static final List<String> ORDER = List.of("matmul", "gemv", "reduce", "step", "copy", "train", "epoch",
            "sweep", "stream", "launch");

    /** One benchmark's medians: size -> impl -> microseconds per operation. */
    private final Map<String, Map<String, Map<String, Double>>> micros = new LinkedHashMap<>();
    private final Map<String, String> className = new LinkedHashMap<>();
    private final Map<String, Integer> samples = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--runs")) {
            List<BenchTable> runs = new ArrayList<>();
            for (String arg : Arrays.asList(args).subList(1, args.length)) {
                BenchTable run = new BenchTable();
                run.read(Path.of(arg));
                runs.add(run);
            }
            if (runs.isEmpty()) {
                usage();
            }
            printRuns(System.out, runs);
            return;
        }
        BenchTable table = new BenchTable();
        String device = null;
        for (String arg : args) {
            if (arg.endsWith(".json")) {
                table.read(Path.of(arg));
            } else {
                device = arg;
            }
        }
        if (table.micros.isEmpty()) {
            usage();
        }
        table.print(System.out, device != null ? device : BenchSupport.device().description());
    }

    private static void usage() {
        System.err.println("usage: BenchTable results.json [more.json ...] [device description]\n"
                + "       BenchTable --runs run1.json run2.json ...   (each target, run by run)");
        System.exit(2);
    }

    void read(Path json) throws IOException {
        JsonArray results = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonArray();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            String benchmark = r.get("benchmark").getAsString();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
            className.put(method, cls.substring(cls.lastIndexOf('.') + 1));
            JsonObject params = r.getAsJsonObject("params");
            String impl = params.get("impl").getAsString();
            String size = params.get("size").getAsString();
            JsonObject metric = r.getAsJsonObject("primaryMetric");
            double scale = toMicros(metric.get("scoreUnit").getAsString());
            List<Double> values = new ArrayList<>();
            for (JsonElement fork : metric.getAsJsonArray("rawData")) {
                for (JsonElement v : fork.getAsJsonArray()) {
                    values.add(v.getAsDouble() * scale);
                }
            }
            samples.merge(method, values.size(), Math::min);
            micros.computeIfAbsent(method, m -> new LinkedHashMap<>()).computeIfAbsent(size, s -> new LinkedHashMap<>())
                    .put(impl, median(values));
        }
    }

    private static double toMicros(String unit) {
        String u = unit.replace("/op", "");
        TimeUnit t = switch (u) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> throw new IllegalArgumentException("score unit " + unit + ": run JMH in AverageTime mode");
        };
        return t.toNanos(1) / 1e3;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** The rate (or ms) of {@code impl} on {@code method} at {@code size}, NaN when not measured. */
    double value(String method, String size, String impl) {
        Double us = micros.getOrDefault(method, Map.of()).getOrDefault(size, Map.of()).get(impl);
        return us == null ? Double.NaN : Work.of(className.get(method), size).value(us);
    }

    /** Every measured (method, size, impl) with its median microseconds, in the table's order. */
    List<Measured> measured() {
        List<Measured> all = new ArrayList<>();
        for (var m : micros.entrySet()) {
            for (var s : m.getValue().entrySet()) {
                for (var i : s.getValue().entrySet()) {
                    Work work = Work.of(className.get(m.getKey()), s.getKey());
                    all.add(new Measured(m.getKey(), s.getKey(), i.getKey(), i.getValue(), work.value(i.getValue()),
                            work.unit()));
                }
            }
        }
        return all;
    }

    /** One cell of the table: a benchmark's median and the rate (or ms) it gives. */
    record Measured(String method, String size, String impl, double micros, double value, Work.Unit unit) {
    }

    void print(PrintStream out, String device) {
        out.println("Device: " + device + "\n");
        for (String method : ORDER) {
            Map<String, Map<String, Double>> bySize = micros.get(method);
            if (bySize == null) {
                continue;
            }
            List<String> impls = new ArrayList<>();
            bySize.values().forEach(m -> m.keySet().stream().filter(i -> !impls.contains(i)).forEach(impls::add));
            Work.Unit unit = Work.of(className.get(method), bySize.keySet().iterator().next()).unit();
            String what = switch (unit) {
                case RUN -> "ms per run";
                case LAUNCH -> "µs per launch";
                default -> unit.label + ", higher is better";
            };
            out.printf(Locale.ROOT, "**%s** (%s, median of %d iterations)%n%n", method, what, samples.get(method));
            out.println("| size | " + String.join(" | ", impls) + " |");
            out.println("|---|" + "---:|".repeat(impls.size()));
            for (String size : bySize.keySet()) {
                StringBuilder row = new StringBuilder("| " + size + " |");
                for (String impl : impls) {
                    double v = value(method, size, impl);
                    row.append(' ').append(Double.isNaN(v) ? "—" : format(v)).append(" |");
                }
                out.println(row);
            }
            out.println();
        }
        printTargets(out);
    }

    /** One performance goal: a ratio measured in one run, and the bound it must meet. */
    record Target(String name, double ratio, double goal, boolean atLeast) {
        boolean met() {
            return atLeast ? ratio >= goal : ratio <= goal;
        }

        String goalText() {
            return (atLeast ? "≥ " : "≤ ") + format(goal) + "×";
        }
    }

    /** The targets, each as the ratio this run measured. */
    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        double copy = value("copy", "33554432", "ours");
        for (String n : List.of("512", "1024")) {
            t.add(atLeast("matmul " + n + ": ours / CLBlast", value("matmul", n, "ours") / value("matmul", n, "clblast"), 5));
            t.add(atLeast("matmul " + n + ": ours / OpenBLAS", value("matmul", n, "ours") / value("matmul", n, "openblas"),
                    0.7));
        }
        for (String s : List.of("4194304x2", "4194304x16", "65536x256")) {
            t.add(atLeast("gemv " + s + ": ours / CLBlast", value("gemv", s, "ours") / value("gemv", s, "clblast"), 5));
            t.add(atLeast("gemv " + s + ": ours / copy", value("gemv", s, "ours") / copy, 0.9));
        }
        t.add(atLeast("reduce 33554432: ours / copy", value("reduce", "33554432", "ours") / copy, 0.9));
        for (String s : List.of("65536x256", "4194304x2")) {
            t.add(atLeast("step " + s + ": ours / CLBlast", value("step", s, "ours") / value("step", s, "clblast"), 3));
        }
        t.add(atLeast("train 1000x2: unfused / epoch (time)",
                value("train", "1000x2", "unfused") / value("train", "1000x2", "epoch"), 20));
        // X is 2^20 x 64 floats; one epoch reads it through the permutation once for the steps,
        // and the epoch path reads it a second time for the loss.
        double boundMs = 4.0 * 1048576 * 64 / (copy * 1e9) * 1e3;
        double best = Math.min(value("train", "1048576x64", "epoch"), value("train", "1048576x64", "fused"));
        t.add(new Target("train 1048576x64: best of epoch, fused / bound (X once ÷ copy = " + format(boundMs) + " ms)",
                best / boundMs, 1.5, false));
        t.add(new Target("train 1048576x64: best of epoch, fused / bound (X twice ÷ copy = " + format(2 * boundMs)
                + " ms)", best / (2 * boundMs), 1.5, false));
        for (String s : List.of("1048576x64", "4194304x64")) {
            t.add(new Target("stream " + s + ": streamed epoch / in-memory epoch, fused step (time)",
                    value("stream", s, "streamed") / value("stream", s, "memory"), 1.3, false));
            t.add(new Target("stream " + s + ": streamed epoch / in-memory epoch, epoch kernel (time)",
                    value("stream", s, "streamed-epoch") / value("stream", s, "memory-epoch"), 1.3, false));
        }
        // Many runs in one launch against the same runs one after another: SweepBench's 64 chapter
        // runs and 16 runs of the large epoch.
        for (String s : List.of("1000x2", "1048576x64")) {
            t.add(atLeast("sweep " + s + ": sequential / sweep (time)",
                    value("sweep", s, "sequential") / value("sweep", s, "sweep"), 1.8));
        }
        for (String impl : List.of("kernel", "backend")) {
            t.add(new Target("launch: " + impl + " / bare JOCL (time)",
                    value("launch", "64", impl) / value("launch", "64", "jocl"), 1.5, false));
        }
        return t;
    }

    private static Target atLeast(String name, double ratio, double goal) {
        return new Target(name, ratio, goal, true);
    }

    private void printTargets(PrintStream out) {
        out.println("| target | measured | goal | met |");
        out.println("|---|---:|---:|:---:|");
        for (Target t : targets()) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", t.name(), times(t.ratio()), t.goalText(),
                    Double.isNaN(t.ratio()) ? "—" : t.met() ? "yes" : "no");
        }
        out.println();
    }

    /**
     * Each target across several whole runs, one column a run: how far a ratio moves between runs
     * on a shared machine, and in how many runs it was met. The bound of the large train run is
     * taken from each run's own copy rate, so its name drops the figure.
     */
    static void printRuns(PrintStream out, List<BenchTable> runs) {
        List<List<Target>> byRun = runs.stream().map(BenchTable::targets).toList();
        StringBuilder head = new StringBuilder("| target |");
        for (int r = 1; r <= runs.size(); r++) {
            head.append(" run ").append(r).append(" |");
        }
        out.println(head + " median | goal | met in |");
        out.println("|---|" + "---:|".repeat(runs.size() + 1) + "---:|:---:|");
        for (int i = 0; i < byRun.get(0).size(); i++) {
            Target first = byRun.get(0).get(i);
            StringBuilder row = new StringBuilder("| " + first.name().replaceAll(" = [0-9.]+ ms", "") + " |");
            List<Double> ratios = new ArrayList<>();
            int met = 0;
            for (List<Target> run : byRun) {
                Target t = run.get(i);
                row.append(' ').append(times(t.ratio())).append(" |");
                ratios.add(t.ratio());
                met += t.met() ? 1 : 0;
            }
            row.append(' ').append(times(median(ratios))).append(" | ").append(first.goalText()).append(" | ")
                    .append(met).append(" of ").append(runs.size()).append(" |");
            out.println(row);
        }
        out.println();
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "—" : format(ratio) + "×";
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
