package org.d2lcl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}'s options for what the run prints and writes. */
final class OutputOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object per epoch and one at the end, nothing else.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the final lines (no device line, no epoch lines,"
            + " no progress bar).")
    boolean quiet;

    @Option(names = "--plot", paramLabel = "DIR",
            description = "Write data.png (the second feature against the label) and loss.png (loss per epoch,"
                    + " log scale) into DIR.")
    Path plot;

    @Option(names = "--save-model", paramLabel = "FILE",
            description = "Write the trained model (weights, bias, standardization, column names) as JSON, for"
                    + " 'predict'.")
    Path saveModel;

    /** Checks the options before training, so that a long run does not end in a folder it cannot write. */
    void check() {
        if (json && quiet) {
            throw new ParameterException(spec.commandLine(),
                    "--json and --quiet together: choose one (--json already prints nothing but JSON)");
        }
        if (saveModel != null) {
            writableFolder("--save-model " + saveModel, saveModel.toAbsolutePath().getParent());
            if (Files.isDirectory(saveModel)) {
                throw new ParameterException(spec.commandLine(), "--save-model " + saveModel
                        + ": is a folder; give the model's file name");
            }
        }
        if (plot != null) {
            writableFolder("--plot " + plot, plot.toAbsolutePath());
        }
    }

    private void writableFolder(String option, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + ": the folder " + dir
                    + " cannot be made (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": the folder " + dir + " is not writable");
        }
    }
}
