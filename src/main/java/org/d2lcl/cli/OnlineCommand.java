package org.d2lcl.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.d2lcl.Online;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Backends;
import org.d2lcl.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code d2l-cl online}: the online variant of the chapter's program, every iteration a fresh batch
 * drawn on the device ({@link Online}). Prints the batch loss every {@code --every} iterations and the
 * parameters at the end; with {@code --plot DIR}, the fitted line over fresh points at each of those
 * iterations and the per-iteration loss curve.
 */
@Command(name = "online", description = "The online variant: a fresh batch drawn on the device every iteration"
        + " (x ~ U(0, 20), y = 2x + 1 + 3 N(0, 1)), loss 0.5 sum (y_hat - y)^2, SGD without the division by"
        + " the batch size.")
final class OnlineCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default: ${DEFAULT-VALUE}).")
    int iterations = Online.Config.DEFAULT.iterations();

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = Online.Config.DEFAULT.batchSize();

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}; 1e-3"
            + " diverges).")
    float lr = Online.Config.DEFAULT.lr();

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = Online.Config.DEFAULT.seed();

    @Option(names = "--every", paramLabel = "N", description = "Print (and with --plot, draw) every N iterations"
            + " (default: ${DEFAULT-VALUE}).")
    int every = 50;

    @Option(names = "--device", paramLabel = "DEV", description = "Device index or name substring (see 'devices'),"
            + " or 'java'. Default: $D2LCL_DEVICE, else the first GPU, else the first CPU device.")
    String device;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write fit-NNNN.png (the line over fresh points"
            + " every --every iterations) and loss.png (the batch loss per iteration) into DIR.")
    Path plot;

    @Override
    public Integer call() {
        Online.Config config = config();
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Backend backend = Backends.open(device, err::println); Online run = new Online(backend, config)) {
            out.println("device: " + backend.description());
            double[] losses = new double[iterations];
            List<Path> plots = new ArrayList<>();
            for (int it = 1; it <= iterations; it++) {
                losses[it - 1] = run.iteration();
                if (it % every == 0 || it == iterations) {
                    out.println("iteration " + it + ", loss " + Fixed.of(losses[it - 1]) + ", w " + Fixed.of(run.w())
                            + ", b " + Fixed.of(run.b()));
                    StandardOutput.check(out);
                    if (plot != null) {
                        float[][] fresh = run.freshPoints(it, 200);
                        Path file = plot.resolve(String.format(Locale.ROOT, "fit-%04d.png", it));
                        Dataset points = new Dataset(fresh[0], fresh[1], fresh[0].length, 1);
                        float[] w = {run.w()};
                        float b = run.b();
                        String title = "after iteration " + it;
                        plots.add(draw(() -> Plots.scatter(file, points, 0, "x", "y", w, b, title)));
                    }
                }
            }
            if (plot != null && iterations > 0) {
                plots.add(draw(() -> Plots.loss(plot.resolve("loss.png"), losses, "iteration",
                        "batch loss per iteration")));
            }
            out.println("w: " + Fixed.of(run.w()) + ", b: " + Fixed.of(run.b()) + " (true: " + config.trueW() + ", "
                    + config.trueB() + ")");
            plots.forEach(p -> out.println("plot: " + p));
        }
        return 0;
    }

    private Online.Config config() {
        if (iterations < 0 || batchSize < 1 || every < 1) {
            throw new ParameterException(spec.commandLine(), iterations < 0 ? "--iterations " + iterations
                    + ": must be >= 0" : batchSize < 1 ? "--batch-size " + batchSize + ": must be >= 1"
                    : "--every " + every + ": must be >= 1");
        }
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new ParameterException(spec.commandLine(), "--lr " + lr + ": must be a finite number > 0");
        }
        return Online.Config.of(batchSize, lr, iterations, seed);
    }

    private Path draw(java.util.function.Supplier<Path> plot) {
        try {
            return plot.get();
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), "--plot " + e.getMessage());
        }
    }
}
