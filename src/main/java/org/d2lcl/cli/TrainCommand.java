package org.d2lcl.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.d2lcl.Checkpoint;
import org.d2lcl.CheckpointException;
import org.d2lcl.ConfigException;
import org.d2lcl.D2l;
import org.d2lcl.Device;
import org.d2lcl.Kernels;
import org.d2lcl.LinearModel;
import org.d2lcl.LinearRegression;
import org.d2lcl.StreamPlan;
import org.d2lcl.TrainConfig;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.Npy;
import org.d2lcl.data.RowSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;


/** {@code d2l-cl train}: the chapter's training run, printing what the chapter prints. */
@Command(name = "train", sortOptions = false,
        description = "Train linear regression on synthetic data (or a CSV file) and print the loss per epoch.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--examples", paramLabel = "N", description = "Synthetic examples (default: ${DEFAULT-VALUE}).")
    int examples = 1000;

    @Option(names = "--true-w", paramLabel = "W", split = ",",
            description = "True weights, comma-separated (default: 2,-3.4).")
    float[] trueW = {2f, -3.4f};

    @Option(names = "--true-b", paramLabel = "B", description = "True bias (default: ${DEFAULT-VALUE}).")
    float trueB = 4.2f;

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize = TrainConfig.DEFAULT.batchSize();

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr = TrainConfig.DEFAULT.lr();

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = TrainConfig.DEFAULT.epochs();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = TrainConfig.DEFAULT.seed();

    @Option(names = "--device", paramLabel = "DEV",
            description = "Device index or name substring (see 'devices'), or 'java'. Default: $D2LCL_DEVICE,"
                    + " else the first GPU, else the first CPU device.")
    String device;

    @Option(names = "--kernels", paramLabel = "PATH",
            description = "unfused (one kernel per d2l function), fused (one kernel per minibatch) or epoch"
                    + " (one kernel per epoch). Default: ${DEFAULT-VALUE}.")
    String kernels = Kernels.DEFAULT.toString();

    @Option(names = "--init", paramLabel = "INIT",
            description = "How w starts: normal (the chapter's N(0, 0.01), from --seed) or zeros. b starts at 0."
                    + " Default: normal.")
    String init = "normal";

    @Option(names = "--no-shuffle", description = "Visit the examples in the data's own order every epoch,"
            + " instead of a fresh random order (the chapter's data_iter shuffles).")
    boolean noShuffle;

    @Mixin
    RuleOptions rule = new RuleOptions();

    @Option(names = "--data", paramLabel = "FILE.csv|FILE.npy",
            description = "Train on a CSV file (numeric columns, the last is the label, optional header) or a"
                    + " 2-D float32/float64 .npy file (memory-mapped; the last column is the label).")
    Path data;

    @Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--verbose", description = "Print stack traces with errors, and where the run's time went"
            + " (start, data, device, set-up, first epoch with its kernel builds, other epochs, output).")
    boolean verbose;

    @Mixin
    DataOptions realData = new DataOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkHyperParameters();
        if ((checkpoints.checkpoint != null || checkpoints.resume != null)
                && !Checkpoint.holds(rule.loss(spec.commandLine()), rule.optimizer(spec.commandLine()))) {
            throw bad((checkpoints.checkpoint != null ? "--checkpoint " + checkpoints.checkpoint : "--resume "
                    + checkpoints.resume) + ": a checkpoint holds runs of the chapter's loss and optimizer"
                    + " (--loss squared --optimizer sgd, no --clip)");
        }
        Checkpoint from = checkpoints.read();
        if (from != null) {
            resumeSettings(from, err);
        }
        realData.check(data != null);
        output.check();
        checkpoints.check(spec.commandLine());
        try {
            return train(out, err, from);
        } finally {
            checkpoints.close();
        }
    }

    private int train(PrintWriter out, PrintWriter err, Checkpoint from) {
        Phases phases = new Phases(); // "start": from the process's start to here
        if (data == null) {
            checkSynthetic();
        }
        DataOptions.Prepared fromFile = data != null ? realData.read(data, seed, batchSize) : null;
        if (fromFile != null && fromFile.streamed() != null) {
            refuseOnAStreamedRun();
        }
        phases.end("data");
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, seed, kernels(), init(), !noShuffle,
                rule.loss(spec.commandLine()), rule.optimizer(spec.commandLine()), rule.batchLosses(spec.commandLine()));
        TrainReport report = TrainReport.of(output, out, config.batchLosses());
        try (Backend backend = Backends.open(device, err::println)) {
            phases.end("device");
            DataOptions.Prepared prepared = fromFile != null ? fromFile : synthetic(backend);
            if (prepared.streamed() == null && data != null && Npy.isNpy(data) && StreamPlan.of(backend,
                    prepared.train().n(), prepared.train().d(), batchSize, realData.budget()) != null) {
                prepared = realData.read(data, seed, batchSize, true); // too large for the device: streamed
                refuseOnAStreamedRun();
            }
            phases.end("data");
            RowSource dataset = prepared.source();
            if (batchSize > dataset.n()) {
                throw bad("--batch-size " + batchSize + ": must be between 1 and the number of training examples, "
                        + dataset.n());
            }
            RowSource heldOut = prepared.heldOutSource();
            int plotted = prepared.streamed() == null ? plotFeature(prepared) : 0; // a typo costs no run
            try (LinearRegression net = linearRegression(Device.of(backend), prepared, config, from, err);
                 EpochLog log = new EpochLog(report, output.quiet ? null : Progress.forStderr(err),
                         net.epochsDone(), epochs, dataset.n(), (dataset.n() + batchSize - 1) / batchSize,
                         heldOut != null)) {
                phases.end("set-up");
                report.start(backend.description(), prepared.standardization(), dataset.n(),
                        heldOut == null ? 0 : heldOut.n());
                if (from != null && !output.quiet && !output.json) {
                    checkpoints.printResumed(out, from, epochs);
                }
                while (net.epochsDone() < epochs) {
                    double loss = net.epoch();
                    log.epoch(config.batchLosses() ? net.batchLosses() : loss,
                            heldOut == null ? Double.NaN : net.loss(heldOut));
                    phases.end(log.loss().length == 1 ? "first epoch (kernel builds included)" : "other epochs");
                    try {
                        checkpoints.save(net);
                    } catch (CheckpointOptions.WriteFailed e) {
                        log.finish();
                        Path saved = saveModel(net.w(), net.b(), prepared);
                        throw bad(e.getMessage() + (saved == null ? ""
                                : "; the model of epoch " + net.epochsDone() + " is saved to " + saved));
                    }
                    StandardOutput.check(out);
                }
                log.finish();
                float[] w = net.w();
                float b = net.b();
                double[] losses = log.loss();
                double loss = losses.length > 0 ? losses[losses.length - 1] : net.loss();
                double heldOutLoss = heldOut == null ? Double.NaN
                        : losses.length > 0 ? log.heldOutLoss()[losses.length - 1] : net.loss(heldOut);
                Path modelFile = saveModel(w, b, prepared);
                List<Path> plots = plot(prepared, log, plotted, w, b);
                report.end(new RunSummary(backend.description(), config, realData.holdout, dataset.n(),
                        heldOut == null ? 0 : heldOut.n(), w, b, prepared.standardization(),
                        data == null ? trueW : null, trueB, loss, heldOutLoss, log.seconds(), modelFile, plots));
            }
        }
        phases.end("output");
        if (verbose) {
            phases.print(err);
        }
        return 0;
    }

    /** The synthetic data, made once the device has been found large enough for it. */
    private DataOptions.Prepared synthetic(Backend backend) {
        org.d2lcl.Capacity.check(backend, examples, trueW.length, batchSize);
        return realData.prepare(D2l.syntheticData(trueW, trueB, examples, seed), List.of(), null, seed);
    }

    /** Writes the model where {@code --save-model} says, if it does; returns the file or null. */
    private Path saveModel(float[] w, float b, DataOptions.Prepared prepared) {
        if (output.saveModel == null) {
            return null;
        }
        // The trainer stops at the first non-finite epoch, so w and b are finite here.
        LinearModel model =
                new LinearModel(w, b, prepared.standardization(), prepared.featureNames(), prepared.labelName());
        try {
            model.save(output.saveModel);
        } catch (UncheckedIOException e) {
            throw bad("--save-model " + e.getMessage());
        }
        return output.saveModel;
    }

    /**
     * The feature {@code --plot-feature} names (a header name, exact or ignoring case, or a 0-based
     * index), else the chapter's second feature.
     */
    private int plotFeature(DataOptions.Prepared prepared) {
        int d = prepared.all().d();
        String spec = output.plotFeature;
        if (spec == null) {
            return Math.min(1, d - 1);
        }
        List<String> names = prepared.featureNames();
        int j = CsvTable.find(names, d, spec);
        if (j >= 0) {
            return j;
        }
        throw bad("--plot-feature " + spec + ": must be a feature's name" + (names.isEmpty() ? ""
                : " (" + String.join(", ", names) + ")") + " or an index from 0 to " + (d - 1));
    }

    /**
     * Draws the data with the trained model's line, and the loss curve, into the {@code --plot}
     * folder, if there is one. The line is in the data's own units ({@link LinearModel#inOriginalUnits}).
     */
    private List<Path> plot(DataOptions.Prepared prepared, EpochLog log, int j, float[] w, float b) {
        List<Path> plots = new ArrayList<>();
        if (output.plot != null) {
            List<String> names = prepared.featureNames();
            LinearModel model = LinearModel.of(w, b);
            if (prepared.standardization() != null) {
                model = model.withStandardization(prepared.standardization()).inOriginalUnits();
            }
            try {
                plots.add(Plots.scatter(output.plot, prepared.all(), j, names.isEmpty() ? null : names.get(j),
                        prepared.labelName(), model.w(), model.b()));
                if (log.loss().length > 0) {
                    plots.add(Plots.loss(output.plot, log.loss(), log.heldOutLoss()));
                }
            } catch (UncheckedIOException e) {
                throw bad("--plot " + e.getMessage());
            }
        }
        return plots;
    }

    private void checkHyperParameters() {
        if (batchSize < 1) {
            throw bad("--batch-size " + batchSize + ": must be between 1 and the number of examples");
        }
        if (!(lr > 0) || !Float.isFinite(lr)) {
            String typed = typed("--lr", Float.toString(lr));
            String why = ": must be a finite number > 0";
            try {
                double asDouble = Double.parseDouble(typed);
                if (asDouble > 0 && lr == 0f) {
                    why = ": underflows float32 to 0 (the smallest positive float is " + Float.MIN_VALUE
                            + "); the learning rate must be a finite number > 0";
                } else if (Double.isFinite(asDouble) && Float.isInfinite(lr)) {
                    why = ": overflows float32 (the largest float is " + Float.MAX_VALUE
                            + "); the learning rate must be a finite number > 0";
                }
            } catch (NumberFormatException e) {
                // NaN, Infinity: the general rule says it.
            }
            throw bad("--lr " + typed + why);
        }
        if (epochs < 0) {
            throw bad("--epochs " + epochs + ": must be >= 0");
        }
    }

    private TrainConfig.Init init() {
        return switch (init.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> TrainConfig.Init.NORMAL;
            case "zeros" -> TrainConfig.Init.ZEROS;
            default -> throw bad("--init " + init + ": must be normal or zeros");
        };
    }

    private Kernels kernels() {
        try {
            return Kernels.parse(kernels);
        } catch (ConfigException e) {
            throw bad("--" + e.getMessage());
        }
    }

    /**
     * With {@code --resume}, the seed, batch size, learning rate and kernels default to the
     * checkpoint's. A different seed is refused (it drives the data and the remaining shuffles); a
     * different batch size, learning rate or kernel path is taken, with a notice that the run will
     * differ from an unbroken one.
     */
    private void resumeSettings(Checkpoint from, PrintWriter err) {
        ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--seed")) {
            seed = from.seed();
        } else if (seed != from.seed()) {
            throw bad("--seed " + seed + ": the checkpoint " + checkpoints.resume + " was taken with seed "
                    + from.seed() + ", and a resumed run keeps its seed");
        }
        if (!given.hasMatchedOption("--batch-size")) {
            batchSize = from.batchSize();
        } else if (batchSize != from.batchSize()) {
            err.println("d2l-cl: resuming with --batch-size " + batchSize + " instead of the checkpoint's "
                    + from.batchSize() + ": the result will differ from a run that never stopped");
        }
        if (!given.hasMatchedOption("--lr")) {
            lr = from.lr();
        } else if (lr != from.lr()) {
            err.println("d2l-cl: resuming with --lr " + lr + " instead of the checkpoint's " + from.lr()
                    + ": the result will differ from a run that never stopped");
        }
        if (!given.hasMatchedOption("--kernels")) {
            kernels = from.kernels().toString();
        } else if (kernels() != from.kernels()) {
            err.println("d2l-cl: resuming with --kernels " + kernels() + " instead of the checkpoint's "
                    + from.kernels() + ": the result will differ from a run that never stopped in the last bits");
        }
        if (epochs < from.epoch()) {
            throw bad("--epochs " + epochs + ": the checkpoint " + checkpoints.resume + " is already at epoch "
                    + from.epoch() + "; --epochs is the total number of epochs");
        }
    }

    /**
     * A new run, or one resumed {@code from} a checkpoint, or one streamed from a .npy file in chunks
     * that fit {@code --device-memory}; the backend stays the caller's to close.
     */
    private LinearRegression linearRegression(Device device, DataOptions.Prepared prepared, TrainConfig config,
            Checkpoint from, PrintWriter err) {
        RowSource source = prepared.streamed();
        if (source != null) {
            StreamPlan plan;
            try {
                plan = StreamPlan.streamed(device.backend(), source.n(), source.d(), batchSize, realData.budget());
            } catch (ConfigException e) {
                throw bad("--device-memory " + realData.deviceMemory + ": " + e.getMessage());
            }
            if (!output.quiet) {
                err.println("d2l-cl: " + data + " streams in chunks of " + plan.chunkRows() + " rows ("
                        + StreamPlan.bytes(source.n(), source.d(), batchSize, plan.chunkRows()) + " bytes of device memory)");
            }
            return LinearRegression.streamed(device, source, config, plan);
        }
        if (from == null) {
            return LinearRegression.on(device, prepared.train(), config);
        }
        try {
            return LinearRegression.resume(device, prepared.train(), config, from);
        } catch (CheckpointException e) {
            throw bad("--resume " + checkpoints.resume + ": " + e.getMessage());
        }
    }

    /** What a streamed run does not do: checkpoints and plots, which need the data in memory. */
    private void refuseOnAStreamedRun() {
        String option = checkpoints.checkpoint != null ? "--checkpoint " + checkpoints.checkpoint
                : checkpoints.resume != null ? "--resume " + checkpoints.resume
                : output.plot != null ? "--plot " + output.plot : null;
        if (option != null) {
            throw bad(option + ": " + data + " streams (its tensors exceed the device-memory budget or half the heap),"
                    + " and a streamed run takes no checkpoints or plots");
        }
    }

    private void checkSynthetic() {
        if (examples < 1) {
            throw bad("--examples " + examples + ": must be >= 1");
        }
        String problem = trueParametersProblem(trueW, trueB);
        if (problem != null) {
            throw bad(problem);
        }
    }

    /** What is wrong with {@code --true-w} and {@code --true-b} (train's and sweep's), or null. */
    static String trueParametersProblem(float[] trueW, float trueB) {
        if (trueW.length == 0) {
            return "--true-w is empty: give at least one weight, e.g. 2,-3.4";
        }
        for (float v : trueW) {
            if (!Float.isFinite(v)) {
                return "--true-w " + v + ": weights must be finite numbers";
            }
        }
        if (!Float.isFinite(trueB)) {
            return "--true-b " + trueB + ": must be a finite number";
        }
        try {
            D2l.syntheticData(trueW, trueB, 1, 0); // the labels' range; draws nothing yet
        } catch (IllegalArgumentException e) {
            return "--true-w, --true-b: " + e.getMessage();
        }
        return null;
    }

    /** The value of {@code option} as the user typed it, else {@code parsed}. */
    private String typed(String option, String parsed) {
        ParseResult given = spec.commandLine().getParseResult();
        if (given != null && given.hasMatchedOption(option)) {
            List<String> values = given.matchedOption(option).stringValues();
            if (!values.isEmpty()) {
                return values.get(values.size() - 1);
            }
        }
        return parsed;
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
