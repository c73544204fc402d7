package org.d2lcl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.d2lcl.Checkpoint;
import org.d2lcl.Trainer;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code train --checkpoint FILE} and {@code --resume FILE}: see {@link Checkpoint}. */
final class CheckpointOptions {
    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "After each epoch, save the run to FILE, atomically: the previous checkpoint stays whole"
                    + " until the new one is complete.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run saved in FILE; --epochs is the total. The seed and the data must be the"
                    + " checkpoint's; --batch-size and --lr default to its.")
    Path resume;

    /** The checkpoint to resume from, or null without {@code --resume}. */
    Checkpoint read() {
        return resume == null ? null : Checkpoint.read(resume);
    }

    /** Fails before training when the checkpoint could not be written. */
    void check(picocli.CommandLine cli) {
        if (checkpoint == null) {
            return;
        }
        Path dir = checkpoint.toAbsolutePath().getParent();
        if (Files.isDirectory(checkpoint)) {
            throw new ParameterException(cli, "--checkpoint " + checkpoint + ": is a folder; name a file in it");
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cli, "--checkpoint " + checkpoint + ": the folder " + dir
                    + " does not exist");
        }
    }

    /** Saves the trainer's state after an epoch, when {@code --checkpoint} was given. */
    void save(Trainer trainer) {
        if (checkpoint != null) {
            trainer.checkpoint().write(checkpoint);
        }
    }

    void printResumed(PrintWriter out, Checkpoint from, int epochs) {
        out.printf(java.util.Locale.ROOT, "resumed from %s after epoch %d of %d, loss %f%n", resume, from.epoch(),
                epochs, from.loss());
    }
}
