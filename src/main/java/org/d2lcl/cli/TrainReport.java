package org.d2lcl.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.d2lcl.data.Standardization;


/**
 * How {@code train} reports on standard output: the chapter's lines, only the final ones
 * ({@code --quiet}), or one JSON object per epoch and one at the end ({@code --json}).
 */
abstract class TrainReport {
    protected final PrintWriter out;

    TrainReport(PrintWriter out) {
        this.out = out;
    }

    /** The report {@code options} ask for. */
    static TrainReport of(OutputOptions options, PrintWriter out, boolean batchSums) {
        return options.json ? new Json(out) : new Text(out, options.quiet, batchSums);
    }

    /** Before the first epoch. */
    abstract void start(String device, Standardization standardization, int examples, int heldOutExamples);

    /** After each epoch. */
    abstract void epoch(EpochStats s);

    /** After the last epoch. */
    abstract void end(RunSummary r);

    /**
     * The chapter's lines; with {@code quiet}, only those after the last epoch. With
     * {@code batchSums} the epoch lines are the L1 write-up's, {@code epoch 000: loss: 123.456789}
     * (from 0, the sum of the epoch's minibatch losses).
     */
    static final class Text extends TrainReport {
        private final boolean quiet;
        private final boolean batchSums;

        Text(PrintWriter out, boolean quiet, boolean batchSums) {
            super(out);
            this.quiet = quiet;
            this.batchSums = batchSums;
        }

        @Override
        void start(String device, Standardization standardization, int examples, int heldOutExamples) {
            if (quiet) {
                return;
            }
            out.println("device: " + device);
            if (standardization != null) {
                out.println("standardize: mean " + Fixed.list(standardization.mean()));
                out.println("             std  " + Fixed.list(standardization.std()));
            }
            if (heldOutExamples > 0) {
                out.printf(Locale.ROOT, "holdout: %d of %d examples held out%n", heldOutExamples,
                        examples + heldOutExamples);
            }
        }

        @Override
        void epoch(EpochStats s) {
            if (quiet) {
                return;
            }
            String holdout = s.hasHeldOut() ? ", holdout loss " + Fixed.of(s.heldOutLoss()) : "";
            if (batchSums) {
                int e = s.epoch() - 1; // "%03d"
                out.println("epoch " + (e < 1000 ? String.valueOf(1000 + e).substring(1) : String.valueOf(e)) + ": loss: "
                        + Fixed.of(s.loss()) + holdout);
            } else {
                out.println("epoch " + s.epoch() + ", loss " + Fixed.of(s.loss()) + holdout);
            }
        }

        @Override
        void end(RunSummary r) {
            if (r.trueW() != null) {
                float[] err = r.errors();
                out.println("error in estimating w: " + Fixed.list(Arrays.copyOf(err, err.length - 1)));
                out.println("error in estimating b: " + Fixed.list(new float[] {err[err.length - 1]}));
            }
            out.println("w: " + Fixed.list(r.w()));
            out.println("b: " + Fixed.of(r.b()));
            if (r.modelFile() != null) {
                out.println("model: " + r.modelFile());
            }
            for (Path plot : r.plots()) {
                out.println("plot: " + plot);
            }
        }
    }

    /**
     * One JSON object per line: {@code {"type":"epoch",...}} after each epoch and
     * {@code {"type":"result",...}} at the end. Floats are written in their shortest exact form.
     */
    static final class Json extends TrainReport {
        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void start(String device, Standardization standardization, int examples, int heldOutExamples) {
        }

        @Override
        void epoch(EpochStats s) {
            JsonObject o = new JsonObject();
            o.addProperty("type", "epoch");
            o.addProperty("epoch", s.epoch());
            o.addProperty("loss", finite(s.loss()));
            if (s.hasHeldOut()) {
                o.addProperty("holdout_loss", finite(s.heldOutLoss()));
            }
            o.addProperty("seconds", s.seconds());
            o.addProperty("examples_per_second", finite(s.examplesPerSecond()));
            out.println(o);
        }

        @Override
        void end(RunSummary r) {
            JsonObject o = new JsonObject();
            o.addProperty("type", "result");
            o.addProperty("device", r.device());
            JsonObject params = new JsonObject();
            params.addProperty("batch_size", r.config().batchSize());
            params.addProperty("lr", r.config().lr());
            params.addProperty("epochs", r.config().epochs());
            params.addProperty("seed", r.config().seed());
            params.addProperty("kernels", r.config().kernels().toString());
            params.addProperty("loss", r.config().loss().toString());
            params.addProperty("optimizer", r.config().optimizer().toString());
            params.addProperty("epoch_loss", r.config().batchLosses() ? "batches" : "after");
            params.addProperty("holdout", r.holdout());
            params.addProperty("standardize", r.standardization() != null);
            o.add("params", params);
            o.addProperty("examples", r.examples());
            if (r.heldOutExamples() > 0) {
                o.addProperty("holdout_examples", r.heldOutExamples());
            }
            o.addProperty("loss", finite(r.loss()));
            if (!Double.isNaN(r.heldOutLoss())) {
                o.addProperty("holdout_loss", finite(r.heldOutLoss()));
            }
            o.add("w", floats(r.w()));
            o.addProperty("b", r.b());
            if (r.trueW() != null) {
                float[] err = r.errors();
                o.add("error_w", floats(Arrays.copyOf(err, err.length - 1)));
                o.addProperty("error_b", err[err.length - 1]);
            }
            if (r.standardization() != null) {
                JsonObject s = new JsonObject();
                s.add("mean", doubles(r.standardization().mean()));
                s.add("std", doubles(r.standardization().std()));
                o.add("standardization", s);
            }
            o.addProperty("seconds", r.seconds());
            if (r.modelFile() != null) {
                o.addProperty("model", r.modelFile().toString());
            }
            if (!r.plots().isEmpty()) {
                JsonArray plots = new JsonArray();
                r.plots().forEach(p -> plots.add(p.toString()));
                o.add("plots", plots);
            }
            out.println(o);
        }

        static JsonArray floats(float[] values) {
            JsonArray a = new JsonArray();
            for (float v : values) {
                a.add(v);
            }
            return a;
        }

        private static JsonArray doubles(double[] values) {
            JsonArray a = new JsonArray();
            for (double v : values) {
                a.add(v);
            }
            return a;
        }

        /** JSON has no NaN or infinity: a diverged loss, or an epoch too fast to time, is written as null. */
        static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }
}
