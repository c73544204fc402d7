package org.d2lcl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.d2lcl.data.AtomicFile;
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

    @Option(names = "--plot-feature", paramLabel = "NAME|INDEX",
            description = "The feature data.png draws against the label, by its header name or 0-based index"
                    + " (default: the second feature, as the chapter's figure; the first when there is one).")
    String plotFeature;

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
            folderCanBeMade("--save-model " + saveModel, saveModel.toAbsolutePath().getParent());
            String problem = Files.isDirectory(saveModel.toAbsolutePath().getParent()) ? AtomicFile.problem(saveModel)
                    : null;
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), "--save-model " + saveModel + ": " + problem);
            }
        }
        if (plot != null) {
            checkPlotFolder();
        }
    }

    /**
     * Checks that {@code dir} exists or can be made (its nearest existing ancestor is a writable
     * folder), without making it; returns whether it exists.
     */
    private boolean folderCanBeMade(String option, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new ParameterException(spec.commandLine(), option + ": " + existing
                    + " is not a folder, so the folder " + dir + " cannot be made");
        }
        if (!Files.isWritable(existing)) {
            throw new ParameterException(spec.commandLine(), option + ": the folder " + existing + " is not writable");
        }
        return existing.equals(dir);
    }

    /**
     * The plot folder is made only when the plots are written, so an interrupted run leaves no empty
     * folder; here its nearest existing ancestor must be a writable folder, and the PNG files, where
     * they exist, regular files.
     */
    private void checkPlotFolder() {
        Path dir = plot.toAbsolutePath();
        if (folderCanBeMade("--plot " + plot, dir)) {
            for (String name : new String[] {"data.png", "loss.png"}) {
                String problem = AtomicFile.problem(dir.resolve(name));
                if (problem != null) {
                    throw new ParameterException(spec.commandLine(), "--plot " + plot + ": " + name + " " + problem);
                }
            }
        }
    }
}
