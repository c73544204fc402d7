package org.d2lcl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.d2lcl.Checkpoint;
import org.d2lcl.CheckpointException;
import org.d2lcl.D2l;
import org.d2lcl.Dataset;
import org.d2lcl.Csv;
import org.d2lcl.ConfigException;
import org.d2lcl.Kernels;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
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

    @Option(names = "--kernels", paramLabel = "PATH",
            description = "unfused (one kernel per d2l function), fused (one kernel per minibatch) or epoch"
                    + " (one kernel per epoch). Default: ${DEFAULT-VALUE}.")
    String kernels = Kernels.DEFAULT.toString();

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Train on a CSV file (numeric columns, the last is the label, optional header).")
    Path data;

    @Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkHyperParameters();
        Checkpoint from = checkpoints.read();
        if (from != null) {
            resumeSettings(from, err);
        }
        checkpoints.check(spec.commandLine());
        if (data == null) {
            checkSynthetic();
        }
        Dataset dataset = data != null ? Csv.read(data) : null;
        int n = dataset != null ? dataset.n() : examples;
        if (batchSize > n) {
            throw bad("--batch-size " + batchSize + ": must be between 1 and the number of examples, " + n);
        }
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, seed, kernels());
        try (Backend backend = Backends.open(device, err::println);
             Trainer trainer = trainer(backend, dataset, config, from)) {
            out.println("device: " + backend.description());
            if (from != null) {
                checkpoints.printResumed(out, from, epochs);
            }
            for (int epoch = trainer.epochsDone() + 1; epoch <= epochs; epoch++) {
                out.printf(Locale.ROOT, "epoch %d, loss %f%n", epoch, trainer.epoch());
                checkpoints.save(trainer);
            }
            float[] w = trainer.w();
            float b = trainer.b();
            if (data == null) {
                float[] errW = new float[w.length];
                for (int j = 0; j < w.length; j++) {
                    errW[j] = trueW[j] - w[j];
                }
                out.println("error in estimating w: " + format(errW));
                out.println("error in estimating b: " + format(new float[] {trueB - b}));
            }
            out.println("w: " + format(w));
            out.printf(Locale.ROOT, "b: %f%n", b);
        }
        return 0;
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

    /** A new trainer, or one resumed {@code from} a checkpoint; makes the synthetic data when there is no file. */
    private Trainer trainer(Backend backend, Dataset dataset, TrainConfig config, Checkpoint from) {
        if (dataset == null) {
            // Checked before the data is made, so that a run too large for the device fails at once.
            Trainer.checkCapacity(backend, examples, trueW.length, batchSize);
            dataset = D2l.syntheticData(trueW, trueB, examples, seed);
        }
        if (from == null) {
            return new Trainer(backend, dataset, config);
        }
        try {
            return Trainer.resume(backend, dataset, config, from);
        } catch (CheckpointException e) {
            throw bad("--resume " + checkpoints.resume + ": " + e.getMessage());
        }
    }

    private void checkSynthetic() {
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
