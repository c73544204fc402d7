package org.d2lcl.cli;

import java.nio.file.Path;
import java.util.List;
import org.d2lcl.TrainConfig;
import org.d2lcl.data.Standardization;


/**
 * What a training run reports at its end.
 *
 * @param device the device's description
 * @param config the hyper-parameters
 * @param holdout the held-out fraction (0 for none)
 * @param examples training examples
 * @param heldOutExamples held-out examples (0 for none)
 * @param w the learned weights
 * @param b the learned bias
 * @param standardization the features' standardization, or null
 * @param trueW the synthetic data's true weights, or null for a data file
 * @param trueB the synthetic data's true bias
 * @param loss the final training loss
 * @param heldOutLoss the final held-out loss, or NaN
 * @param seconds the wall time of all epochs
 * @param modelFile where the model was saved, or null
 * @param plots the plot files written
 */
record RunSummary(String device, TrainConfig config, double holdout, int examples, int heldOutExamples,
        float[] w, float b, Standardization standardization, float[] trueW, float trueB, double loss, double heldOutLoss, double seconds,
        Path modelFile, List<Path> plots) {

    /**
     * {@code trueW - w} and, last, {@code trueB - b}, with {@code w} and {@code b} in the units of the
     * raw features (so they compare with the true ones when the features were standardized).
     */
    float[] errors() {
        float[] raw = standardization == null ? w : standardization.toOriginalUnits(w, b);
        float[] err = new float[w.length + 1];
        for (int j = 0; j < w.length; j++) {
            err[j] = trueW[j] - raw[j];
        }
        err[w.length] = trueB - (standardization == null ? b : raw[w.length]);
        return err;
    }
}
