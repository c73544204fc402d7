package org.d2lcl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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

    @Option(names = "--kernels", paramLabel = "PATH",
            description = "unfused (one kernel per d2l function), fused (one kernel per minibatch) or epoch"
                    + " (one kernel per epoch). Default: ${DEFAULT-VALUE}.")
    String kernels = Kernels.DEFAULT.toString();

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Train on a CSV file (numeric columns, the last is the label, optional header).")
    Path data;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkHyperParameters();
        Dataset dataset = data != null ? Csv.read(data) : synthetic();
        if (batchSize > dataset.n()) {
            throw bad("--batch-size " + batchSize + ": must be between 1 and the number of examples, " + dataset.n());
        }
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, seed, kernels());
        try (Backend backend = Backends.open(device, err::println);
             Trainer trainer = new Trainer(backend, dataset, config)) {
            out.println("device: " + backend.description());
            for (int epoch = 1; epoch <= epochs; epoch++) {
                out.printf(Locale.ROOT, "epoch %d, loss %f%n", epoch, trainer.epoch());
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
