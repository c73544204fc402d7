package org.d2lcl.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.d2lcl.D2l;
import org.d2lcl.DataException;
import org.d2lcl.Dataset;
import org.d2lcl.HeldOutLoss;
import org.d2lcl.LinearModel;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code d2l-cl train}: the chapter's training run, printing what the chapter prints. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
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

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Train on a CSV file (numeric columns, the last is the label, optional header).")
    Path data;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
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
        realData.check(data != null);
        output.check();
        DataOptions.Prepared prepared = data != null ? realData.read(data, seed)
                : realData.prepare(synthetic(), List.of(), null, seed);
        Dataset dataset = prepared.train();
        if (batchSize > dataset.n()) {
            throw bad("--batch-size " + batchSize + ": must be between 1 and the number of training examples, "
                    + dataset.n());
        }
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, seed);
        TrainReport report = TrainReport.of(output, out);
        try (Backend backend = Backends.open(device, err::println);
             Trainer trainer = new Trainer(backend, dataset, config);
             HeldOutLoss heldOut = prepared.heldOut() == null ? null : new HeldOutLoss(backend, prepared.heldOut());
             EpochLog log = new EpochLog(report, output.quiet ? null : Progress.forStderr(err), epochs, dataset.n(),
                     (dataset.n() + batchSize - 1) / batchSize, heldOut != null)) {
            report.start(backend.description(), prepared.standardization(), dataset.n(),
                    heldOut == null ? 0 : heldOut.n());
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double loss = trainer.epoch();
                log.epoch(loss, heldOut == null ? Double.NaN : heldOut.loss(trainer.w(), trainer.b()));
            }
            log.finish();
            float[] w = trainer.w();
            float b = trainer.b();
            double loss = epochs > 0 ? log.loss()[epochs - 1] : trainer.loss();
            double heldOutLoss = heldOut == null ? Double.NaN
                    : epochs > 0 ? log.heldOutLoss()[epochs - 1] : heldOut.loss(w, b);
            Path modelFile = saveModel(w, b, prepared);
            List<Path> plots = plot(prepared, log);
            report.end(new RunSummary(backend.description(), config, realData.holdout, dataset.n(),
                    heldOut == null ? 0 : heldOut.n(), w, b, prepared.standardization(), data == null ? trueW : null,
                    trueB, loss, heldOutLoss, log.seconds(), modelFile, plots));
        }
        return 0;
    }

    /** Writes the model where {@code --save-model} says, if it does; returns the file or null. */
    private Path saveModel(float[] w, float b, DataOptions.Prepared prepared) {
        if (output.saveModel == null) {
            return null;
        }
        LinearModel model;
        try {
            model = new LinearModel(w, b, prepared.standardization(), prepared.featureNames(), prepared.labelName());
        } catch (DataException e) {
            throw bad("--save-model " + output.saveModel + ": not written, the training diverged (" + e.getMessage()
                    + "); try a smaller --lr");
        }
        try {
            model.save(output.saveModel);
        } catch (UncheckedIOException e) {
            throw bad("--save-model " + e.getMessage());
        }
        return output.saveModel;
    }

    /** Draws the data and the loss curve into the {@code --plot} folder, if there is one. */
    private List<Path> plot(DataOptions.Prepared prepared, EpochLog log) {
        List<Path> plots = new ArrayList<>();
        if (output.plot != null) {
            List<String> names = prepared.featureNames();
            int j = Math.min(1, prepared.all().d() - 1);
            try {
                plots.add(Plots.scatter(output.plot, prepared.all(), names.isEmpty() ? null : names.get(j),
                        prepared.labelName()));
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
            throw bad("--lr " + lr + ": must be a finite number > 0");
        }
        if (epochs < 0) {
            throw bad("--epochs " + epochs + ": must be >= 0");
        }
    }

    private Dataset synthetic() {
        if (examples < 1) {
            throw bad("--examples " + examples + ": must be >= 1");
        }
        if (trueW.length == 0) {
            throw bad("--true-w is empty: give at least one weight, e.g. 2,-3.4");
        }
        for (float v : trueW) {
            if (!Float.isFinite(v)) {
                throw bad("--true-w " + v + ": weights must be finite numbers");
            }
        }
        if (!Float.isFinite(trueB)) {
            throw bad("--true-b " + trueB + ": must be a finite number");
        }
        return D2l.syntheticData(trueW, trueB, examples, seed);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static String format(float[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%f", values[i]));
        }
        return sb.append(']').toString();
    }
}
