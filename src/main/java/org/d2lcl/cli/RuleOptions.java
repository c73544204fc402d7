package org.d2lcl.cli;

import java.util.Locale;
import org.d2lcl.LossFunction;
import org.d2lcl.LossFunction.Reduction;
import org.d2lcl.Optimizer;
import org.d2lcl.TrainConfig;
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
        String[] parts = loss.strip().toLowerCase(Locale.ROOT).split(":", 2);
        boolean sum = parts[0].endsWith("-sum");
        String base = sum ? parts[0].substring(0, parts[0].length() - 4) : parts[0];
        Reduction reduction = sum ? Reduction.SUM : Reduction.MEAN;
        if (parts.length == 2 && !base.equals("huber")) {
            throw bad(cli, "--loss " + loss, "only huber takes a threshold (huber:DELTA)");
        }
        return switch (sum && base.equals("squared") ? "" : base) {
            case "squared" -> TrainConfig.CHAPTER_LOSS;
            case "mse" -> LossFunction.mseLoss(reduction);
            case "l1" -> LossFunction.l1Loss(reduction);
            case "huber" -> {
                float delta = parts.length == 2 ? number(cli, "--loss " + loss, parts[1]) : 1f;
                if (!(delta > 0) || !Float.isFinite(delta)) {
                    throw bad(cli, "--loss " + loss, "the threshold must be a finite number > 0");
                }
                yield LossFunction.huberLoss(delta, reduction);
            }
            default -> throw bad(cli, "--loss " + loss,
                    "must be squared, mse, mse-sum, l1, l1-sum, huber[:DELTA] or huber-sum[:DELTA]");
        };
    }

    /** The optimizer {@code --optimizer} and {@code --clip} name. */
    Optimizer optimizer(CommandLine cli) {
        String[] parts = optimizer.strip().toLowerCase(Locale.ROOT).split(":", 2);
        boolean momentum = parts[0].equals("momentum") || parts[0].equals("momentum-nodiv");
        if (parts.length == 2 && !momentum) {
            throw bad(cli, "--optimizer " + optimizer, "only momentum takes a factor (momentum:MU)");
        }
        Optimizer chosen = switch (parts[0]) {
            case "sgd" -> Optimizer.sgd();
            case "sgd-nodiv" -> Optimizer.sgdNoDiv();
            case "momentum", "momentum-nodiv" -> {
                float mu = parts.length == 2 ? number(cli, "--optimizer " + optimizer, parts[1]) : 0.9f;
                if (!(mu >= 0 && mu < 1)) {
                    throw bad(cli, "--optimizer " + optimizer, "the momentum factor must be in [0, 1)");
                }
                yield parts[0].equals("momentum") ? Optimizer.momentum(mu) : Optimizer.momentumNoDiv(mu);
            }
            default -> throw bad(cli, "--optimizer " + optimizer,
                    "must be sgd, sgd-nodiv, momentum[:MU] or momentum-nodiv[:MU]");
        };
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
