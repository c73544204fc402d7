package org.d2lcl.cli;

import java.util.Locale;
import org.d2lcl.ConfigException;
import org.d2lcl.LossFunction;
import org.d2lcl.Optimizer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code train --loss}, {@code --optimizer}, {@code --clip}: what each minibatch step does;
 * {@code --epoch-loss}: what an epoch reports.
 */
final class RuleOptions {
    @Option(names = "--loss", paramLabel = "LOSS",
            description = "squared (the chapter's (y_hat - y)^2 / 2, summed over a batch), mse or mse-sum"
                    + " ((y_hat - y)^2, mean or sum), l1 or l1-sum (|y_hat - y|), huber[:DELTA] or huber-sum[:DELTA]"
                    + " (Huber's loss, DELTA default 1). Default: squared.")
    String loss = "squared";

    @Option(names = "--optimizer", paramLabel = "OPT",
            description = "sgd (the chapter's: the gradient divided by the batch size), sgd-nodiv (PyTorch's"
                    + " SGD: undivided), momentum[:MU] or momentum-nodiv[:MU] (PyTorch's momentum, MU default 0.9)."
                    + " Default: sgd.")
    String optimizer = "sgd";

    @Option(names = "--clip", paramLabel = "NORM",
            description = "Clip the gradient's 2-norm to NORM before each step (clip_grad_norm_).")
    String clip;

    @Option(names = "--epoch-loss", paramLabel = "WHICH",
            description = "after (the chapter's: the loss over the training data after each epoch) or batches (the"
                    + " sum of the epoch's minibatch losses, each before its step, printed as 'epoch 000: loss: ...',"
                    + " the L1 write-up's). Default: after.")
    String epochLoss = "after";

    /** The loss {@code --loss} names; a bad name or threshold is a {@link ParameterException}. */
    LossFunction loss(CommandLine cli) {
        try {
            return LossFunction.named(loss);
        } catch (ConfigException e) {
            throw bad(cli, "--loss " + loss, e.getMessage());
        }
    }

    /** The optimizer {@code --optimizer} and {@code --clip} name. */
    Optimizer optimizer(CommandLine cli) {
        Optimizer chosen;
        try {
            chosen = Optimizer.named(optimizer);
        } catch (ConfigException e) {
            throw bad(cli, "--optimizer " + optimizer, e.getMessage());
        }
        if (clip == null) {
            return chosen;
        }
        float maxNorm = number(cli, "--clip " + clip, clip);
        if (!(maxNorm > 0) || !Float.isFinite(maxNorm)) {
            throw bad(cli, "--clip " + clip, "must be a finite number > 0");
        }
        return chosen.withClipGradNorm(maxNorm);
    }

    /** Whether {@code --epoch-loss batches} asks for the sums of the minibatch losses. */
    boolean batchLosses(CommandLine cli) {
        return switch (epochLoss.strip().toLowerCase(Locale.ROOT)) {
            case "after" -> false;
            case "batches" -> true;
            default -> throw bad(cli, "--epoch-loss " + epochLoss, "must be after or batches");
        };
    }

    private static float number(CommandLine cli, String typed, String value) {
        try {
            return Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw bad(cli, typed, "'" + value + "' is not a number");
        }
    }

    private static ParameterException bad(CommandLine cli, String typed, String why) {
        return new ParameterException(cli, typed + ": " + why);
    }
}
