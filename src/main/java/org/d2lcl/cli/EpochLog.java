package org.d2lcl.cli;

/**
 * Keeps the run's losses and times and hands each epoch to the report and the progress bar.
 * An epoch's time runs from the end of the previous one, so it covers the epoch, its loss read and
 * the held-out loss.
 */
final class EpochLog implements AutoCloseable {
    private final TrainReport report;
    private final Progress progress;
    private final int examples;
    private final int steps;
    private final int firstEpoch;
    private final int epochs;
    private final double[] loss;
    private final double[] heldOutLoss;
    private final long start = System.nanoTime();
    private long last = start;
    private int done;

    /**
     * @param progress the bar, or null for none
     * @param epochsDone epochs run before this log starts (a resumed run's)
     * @param epochs the run's last epoch
     * @param examples training examples per epoch
     * @param steps minibatches per epoch
     * @param heldOut whether there is a held-out loss
     */
    EpochLog(TrainReport report, Progress progress, int epochsDone, int epochs, int examples, int steps,
            boolean heldOut) {
        this.report = report;
        this.progress = progress;
        this.examples = examples;
        this.steps = steps;
        this.firstEpoch = epochsDone;
        this.epochs = epochs;
        this.loss = new double[epochs - epochsDone];
        this.heldOutLoss = heldOut ? new double[epochs - epochsDone] : null;
    }

    /** Records the next epoch and reports it. */
    void epoch(double trainLoss, double heldOut) {
        long now = System.nanoTime();
        loss[done] = trainLoss;
        if (heldOutLoss != null) {
            heldOutLoss[done] = heldOut;
        }
        done++;
        EpochStats stats = new EpochStats(firstEpoch + done, epochs, trainLoss, heldOut, (now - last) / 1e9,
                (now - start) / 1e9, examples, steps);
        last = now;
        if (progress == null) {
            report.epoch(stats);
        } else {
            progress.printAbove(() -> report.epoch(stats));
            progress.epoch(stats);
        }
    }

    /** Wall time since the log was made. */
    double seconds() {
        return (last - start) / 1e9;
    }

    /** The training loss after each epoch this log saw. */
    double[] loss() {
        return java.util.Arrays.copyOf(loss, done);
    }

    /** The held-out loss after each epoch so far, or null without a holdout. */
    double[] heldOutLoss() {
        return heldOutLoss == null ? null : java.util.Arrays.copyOf(heldOutLoss, done);
    }

    /** Ends the progress bar, if one is drawn, so that the final lines print below it. */
    void finish() {
        if (progress != null) {
            progress.close();
        }
    }

    /** The same as {@link #finish()}: a run that fails mid-way still ends the bar's line. */
    @Override
    public void close() {
        finish();
    }
}
