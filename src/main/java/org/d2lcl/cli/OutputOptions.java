package org.d2lcl.cli;

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

    void check() {
        if (json && quiet) {
            throw new ParameterException(spec.commandLine(),
                    "--json and --quiet together: choose one (--json already prints nothing but JSON)");
        }
    }
}
