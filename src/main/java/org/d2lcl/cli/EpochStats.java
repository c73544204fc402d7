package org.d2lcl.cli;

/**
 * What one epoch reports.
 *
 * @param epoch 1-based
 * @param epochs the run's total
 * @param loss the training loss after the epoch (mean squared loss over the training examples)
 * @param heldOutLoss the same over the held-out examples, or NaN without a holdout
 * @param seconds wall time since the previous epoch ended: the epoch, its loss read and the held-out loss
 * @param elapsedSeconds wall time since the first epoch began
 * @param examples training examples per epoch
 * @param steps SGD steps per epoch (minibatches)
 */
record EpochStats(int epoch, int epochs, double loss, double heldOutLoss, double seconds, double elapsedSeconds,
        int examples, int steps) {

    /** Training examples per second over this epoch. */
    double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : Double.POSITIVE_INFINITY;
    }

    boolean hasHeldOut() {
        return !Double.isNaN(heldOutLoss);
    }
}
