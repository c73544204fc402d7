package org.d2lcl.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.d2lcl.ConfigException;
import org.d2lcl.Kernels;
import org.d2lcl.LossFunction;
import org.d2lcl.Optimizer;
import org.d2lcl.Sweep;
import org.d2lcl.TrainConfig;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import org.d2lcl.data.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code d2l-cl sweep}: the cross product of lists of settings, trained on one device
 * ({@link Sweep}: on the epoch kernels, every epoch of all the runs one launch), printed as a table
 * with a row per run, or as JSON; with {@code --plot DIR}, every run's loss curve on one figure and,
 * over the number of examples, the errors in w and b against it.
 */
@Command(name = "sweep", sortOptions = false,
        description = "Train every combination of the listed settings (comma-separated lists) on one device, every"
                + " run in the same launch per epoch where the device allows, and print a row per run.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--lr", paramLabel = "LIST", description = "Learning rates, e.g. 0.001,0.003,0.01,0.03,0.1"
            + " (default: 0.03).")
    String lr = "0.03";

    @Option(names = "--batch-size", paramLabel = "LIST", description = "Minibatch sizes, e.g. 1,10,100 (default: 10).")
    String batchSize = "10";

    @Option(names = "--epochs", paramLabel = "LIST", description = "Numbers of epochs (default: 3).")
    String epochs = "3";

    @Option(names = "--seed", paramLabel = "LIST", description = "Random seeds, each its own data, start and shuffles"
            + " (default: 42).")
    String seed = "42";

    @Option(names = "--init", paramLabel = "LIST", description = "How w starts: normal, zeros (default: normal).")
    String init = "normal";

    @Option(names = "--loss", paramLabel = "LIST", description = "Losses, as train's --loss: squared, mse, mse-sum,"
            + " l1, l1-sum, huber[:DELTA], huber-sum[:DELTA] (default: squared).")
    String loss = "squared";

    @Option(names = "--optimizer", paramLabel = "LIST", description = "Optimizers, as train's --optimizer: sgd,"
            + " sgd-nodiv, momentum[:MU], momentum-nodiv[:MU] (default: sgd).")
    String optimizer = "sgd";

    @Option(names = "--clip", paramLabel = "NORM", description = "Clip every run's gradient norm to NORM.")
    String clip;

    @Option(names = "--examples", paramLabel = "LIST", description = "Numbers of synthetic examples, e.g."
            + " 10,100,1000,10000 (default: 1000).")
    String examples = "1000";

    @Option(names = "--true-w", paramLabel = "W", split = ",",
            description = "True weights of the synthetic data, comma-separated (default: 2,-3.4).")
    float[] trueW = {2f, -3.4f};

    @Option(names = "--true-b", paramLabel = "B", description = "True bias (default: ${DEFAULT-VALUE}).")
    float trueB = 4.2f;

    @Option(names = "--kernels", paramLabel = "PATH", description = "epoch (every run's epoch in one launch), fused"
            + " or unfused (the runs one after another). Default: ${DEFAULT-VALUE}.")
    String kernels = Kernels.DEFAULT.toString();

    @Option(names = "--device", paramLabel = "DEV",
            description = "Device index or name substring (see 'devices'), or 'java'. Default: $D2LCL_DEVICE,"
                    + " else the first GPU, else the first CPU device.")
    String device;

    @Option(names = "--json", description = "Print one JSON object per run and one for the sweep, nothing else.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print the table only (no device and sweep lines).")
    boolean quiet;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write sweep-loss.png (every run's loss per epoch,"
            + " coloured by the varied setting) and, over --examples, sweep-error.png (the errors in w and b"
            + " against n) into DIR.")
    Path plot;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Sweep sweep = sweep();
        List<Sweep.Run> runs = sweep.runs();
        if (json && quiet) {
            throw bad("--json and --quiet together: choose one (--json already prints nothing but JSON)");
        }
        checkPlotFolder();
        try (Backend backend = Backends.open(device, err::println)) {
            SweepReport report = json ? new SweepReport.Json(out) : new SweepReport.Text(out, quiet);
            report.start(backend.description(), sweep, runs.size());
            StandardOutput.check(out);
            Sweep.Results results = sweep.train(backend);
            List<Path> plots = new ArrayList<>();
            if (plot != null) {
                try {
                    plots.add(SweepPlots.loss(plot, results, sweep.varied()));
                    if (sweep.varied().contains(Sweep.Setting.EXAMPLES)) {
                        plots.add(SweepPlots.error(plot, results, sweep.varied()));
                    }
                } catch (UncheckedIOException e) {
                    throw bad("--plot " + e.getMessage());
                }
            }
            report.end(results, sweep.varied(), plots);
            StandardOutput.check(out);
        }
        return 0;
    }

    /** The sweep the options name, every element checked. */
    private Sweep sweep() {
        String problem = TrainCommand.trueParametersProblem(trueW, trueB);
        if (problem != null) {
            throw bad(problem);
        }
        Kernels path;
        try {
            path = Kernels.parse(kernels);
        } catch (ConfigException e) {
            throw bad("--" + e.getMessage());
        }
        List<Float> lrs = list("--lr", lr, s -> {
            float v = number("--lr", lr, s);
            if (!(v > 0) || !Float.isFinite(v)) {
                throw element("--lr", lr, s, "must be a finite number > 0");
            }
            return v;
        });
        List<Integer> sizes = list("--batch-size", batchSize, s -> integer("--batch-size", batchSize, s, 1));
        List<Integer> epochCounts = list("--epochs", epochs, s -> integer("--epochs", epochs, s, 0));
        List<Long> seeds = list("--seed", seed, s -> {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw element("--seed", seed, s, "must be an integer");
            }
        });
        List<TrainConfig.Init> inits = list("--init", init, s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "normal" -> TrainConfig.Init.NORMAL;
            case "zeros" -> TrainConfig.Init.ZEROS;
            default -> throw element("--init", init, s, "must be normal or zeros");
        });
        // Each element through train's own parsing (RuleOptions), which names it as typed.
        List<LossFunction> losses = list("--loss", loss, s -> {
            RuleOptions one = new RuleOptions();
            one.loss = s;
            return one.loss(spec.commandLine());
        });
        List<Optimizer> optimizers = list("--optimizer", optimizer, s -> {
            RuleOptions one = new RuleOptions();
            one.optimizer = s;
            one.clip = clip;
            return one.optimizer(spec.commandLine());
        });
        List<Integer> ns = list("--examples", examples, s -> integer("--examples", examples, s, 1));
        int fewest = ns.stream().mapToInt(Integer::intValue).min().orElseThrow();
        for (int size : sizes) {
            if (size > fewest) {
                throw bad("--batch-size " + size + ": must be between 1 and the number of examples, " + fewest
                        + (ns.size() > 1 ? " (the fewest of --examples " + examples + ")" : ""));
            }
        }
        TrainConfig base = new TrainConfig(sizes.get(0), lrs.get(0), epochCounts.get(0), seeds.get(0), path);
        try {
            return Sweep.synthetic(trueW, trueB, ns.get(0), base)
                    .lr(floats(lrs)).batchSize(ints(sizes)).epochs(ints(epochCounts))
                    .seed(seeds.stream().mapToLong(Long::longValue).toArray())
                    .init(inits.toArray(TrainConfig.Init[]::new)).loss(losses.toArray(LossFunction[]::new))
                    .optimizer(optimizers.toArray(Optimizer[]::new)).examples(ints(ns));
        } catch (ConfigException e) {
            throw bad(e.getMessage());
        }
    }

    /**
     * The comma-separated elements of {@code typed}, each parsed by {@code parse} (which throws a
     * {@link ParameterException} naming the element); an empty element or one given twice is refused.
     */
    private <T> List<T> list(String option, String typed, Function<String, T> parse) {
        List<T> values = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String s : typed.split(",", -1)) {
            if (s.isBlank()) {
                throw bad(option + " " + typed + ": an empty element; give a comma-separated list, e.g. " + option
                        + " " + example(option));
            }
            T v = parse.apply(s);
            int at = values.indexOf(v);
            if (at >= 0) {
                throw element(option, typed, s, "the same value as " + seen.get(at).strip()
                        + ", given before: each value once");
            }
            values.add(v);
            seen.add(s);
        }
        return values;
    }

    private static String example(String option) {
        return switch (option) {
            case "--lr" -> "0.001,0.01,0.1";
            case "--loss" -> "squared,l1,huber";
            case "--optimizer" -> "sgd,momentum:0.9";
            case "--init" -> "normal,zeros";
            case "--examples" -> "10,100,1000";
            default -> "1,10,100";
        };
    }

    private float number(String option, String typed, String s) {
        try {
            return Float.parseFloat(s.strip());
        } catch (NumberFormatException e) {
            throw element(option, typed, s, "'" + s + "' is not a number");
        }
    }

    private int integer(String option, String typed, String s, int min) {
        int v;
        try {
            v = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw element(option, typed, s, "must be an integer >= " + min);
        }
        if (v < min) {
            throw element(option, typed, s, "must be >= " + min);
        }
        return v;
    }

    /** {@code --lr abc: 'abc' is not a number}, or with the list: {@code --lr abc (in 0.1,abc): ...}. */
    private ParameterException element(String option, String typed, String element, String why) {
        boolean alone = typed.strip().equals(element.strip());
        return bad(option + " " + element.strip() + (alone ? "" : " (in " + typed + ")") + ": " + why);
    }

    private static float[] floats(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The plot folder is made only when the plots are written; here its nearest existing ancestor
     * must be a writable folder, and the PNG files, where they exist, regular files.
     */
    private void checkPlotFolder() {
        if (plot == null) {
            return;
        }
        Path dir = plot.toAbsolutePath();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw bad("--plot " + plot + ": " + existing + " is not a folder, so the folder " + dir + " cannot be made");
        }
        if (!Files.isWritable(existing)) {
            throw bad("--plot " + plot + ": the folder " + existing + " is not writable");
        }
        if (existing.equals(dir)) {
            for (String name : new String[] {SweepPlots.LOSS, SweepPlots.ERROR}) {
                String problem = AtomicFile.problem(dir.resolve(name));
                if (problem != null) {
                    throw bad("--plot " + plot + ": " + name + " " + problem);
                }
            }
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
