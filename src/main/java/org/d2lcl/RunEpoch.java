package org.d2lcl;

/**
 * One run's next epoch in a launch of many ({@link org.d2lcl.backend.Backend#linregSweep}): where
 * the run's parameters, examples and permutation lie in the sweep's shared tensors, and the rule its
 * steps follow.
 *
 * @param run the run's index k: its parameters are {@code w[k*d .. k*d + d)}, {@code b[k]},
 *     {@code v[k*(d+1) ..]} (momentum) and {@code running[k]} (a running loss), its results
 *     {@code lossSum[k]} and {@code status[k]}
 * @param rule what its steps do; every run of one launch has the same {@link StepRule#buildOptions()}
 * @param n its number of examples
 * @param row where its examples start in {@code x} and {@code y} (runs on the same data share them)
 * @param start where its permutation of {@code 0 .. n-1} starts in {@code idx}
 * @param first whether this is the run's first epoch (momentum's velocity starts from the gradient)
 */
public record RunEpoch(int run, StepRule rule, int n, int row, int start, boolean first) {
    /** Checks what does not depend on the tensors. */
    public RunEpoch {
        if (rule == null) {
            throw new ConfigException("run " + run + ": a run's epoch needs its step rule");
        }
        if (run < 0 || n < 1 || row < 0 || start < 0 || rule.batchSize() < 1) {
            throw new ConfigException("run " + run + ", n " + n + ", row " + row + ", start " + start + ", batch size "
                    + rule.batchSize() + ": the run must be >= 0, n and the batch size >= 1, the offsets >= 0");
        }
    }
}
