package org.d2lcl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.d2lcl.Checkpoint;
import org.d2lcl.LinearRegression;
import org.d2lcl.data.AtomicFile;
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

    /** Held from {@link #check} to {@link #close}: one run at a time writes a checkpoint file. */
    private AtomicFile.Lock lock;
    /** The epoch of the last checkpoint written in this run, or -1. */
    private int lastWritten = -1;

    /**
     * Fails before training when the checkpoint could not be written, or when another run writes
     * the same file; then takes that file's lock and removes temporary files a killed run left.
     */
    void check(picocli.CommandLine cli) {
        if (checkpoint == null) {
            return;
        }
        String problem = AtomicFile.problem(checkpoint);
        if (problem != null) {
            throw new ParameterException(cli, "--checkpoint " + checkpoint + ": " + problem);
        }
        try {
            lock = AtomicFile.tryLock(checkpoint);
            if (lock == null) {
                throw new ParameterException(cli, "--checkpoint " + checkpoint + ": another run is writing this"
                        + " checkpoint; wait for it to end or name another file");
            }
            AtomicFile.removeStale(checkpoint);
        } catch (IOException e) {
            throw new ParameterException(cli, "--checkpoint " + checkpoint + ": cannot be locked ("
                    + AtomicFile.reason(e) + ")");
        }
    }

    /** Lets go of the checkpoint's lock. */
    void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /** A checkpoint that could not be written; the file holds the last one that was. */
    static final class WriteFailed extends RuntimeException {
        WriteFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Saves the run after an epoch, when {@code --checkpoint} was given.
     *
     * @throws WriteFailed with a one-line message when the file cannot be written
     */
    void save(LinearRegression net) {
        if (checkpoint != null) {
            try {
                net.checkpoint().write(checkpoint);
                lastWritten = net.epochsDone();
            } catch (UncheckedIOException e) {
                String reason = e.getCause() == null ? e.getMessage() : AtomicFile.reason(e.getCause());
                throw new WriteFailed("--checkpoint " + checkpoint + ": the checkpoint of epoch "
                        + net.epochsDone() + " cannot be written (" + reason + "); "
                        + (lastWritten >= 0 ? "the file still holds epoch " + lastWritten : holds()), e);
            }
        }
    }

    /** What the checkpoint file holds when this run has not written it. */
    private String holds() {
        if (!Files.exists(checkpoint)) {
            return "no checkpoint was written";
        }
        try {
            return "the file still holds epoch " + Checkpoint.read(checkpoint).epoch();
        } catch (RuntimeException e) {
            return "the file there is untouched";
        }
    }

    void printResumed(PrintWriter out, Checkpoint from, int epochs) {
        out.println("resumed from " + resume + " after epoch " + from.epoch() + " of " + epochs + ", loss "
                + Fixed.of(from.loss()));
    }
}
