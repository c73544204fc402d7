package org.d2lcl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.d2lcl.backend.Backend;
import org.d2lcl.data.Dataset;

/**
 * Many training runs at once: the cross product of lists of settings (learning rate, batch size,
 * epochs, seed, initialisation, loss, optimizer, number of examples), the chapter's exercises as one
 * call. Each run is a {@link TrainConfig} on its data, and gives, bit for bit, what that run gives
 * alone through {@link Trainer}: the loss after each epoch, the parameters, and where it diverged.
 *
 * <pre>{@code
 * Sweep sweep = Sweep.chapter().lr(0.001f, 0.003f, 0.01f, 0.03f, 0.1f).batchSize(1, 10, 100); // 15 runs
 * try (Device dev = Device.best()) {
 *     for (Sweep.Result r : sweep.train(dev).runs()) {
 *         System.out.println(r.run() + ": loss " + r.finalLoss());
 *     }
 * }
 * }</pre>
 *
 * <p>On the epoch kernels ({@link Kernels#EPOCH}, the default) every epoch of all the runs is one
 * launch, one work-group per run ({@code linreg_sweep.cl}, {@link Backend#linregSweep}): SGD's steps
 * are sequential within a run, so many runs are how a device with many compute units is filled.
 * Runs on the same data share its buffer, runs with the same shuffle their permutation; runs of
 * another loss or optimizer kind (another build of the kernel) go in a launch of their own, and a
 * sweep too large for the device's memory in several, one after another. A run that has done its
 * epochs, or diverged, is no longer stepped. On the fused and unfused kernels the runs go one after
 * another through {@link Trainer}; on the Java backend the epoch kernels' runs share the processor's
 * cores.
 *
 * <p>A sweep is a value: each setting method returns a new sweep. The data of a synthetic sweep is
 * {@link D2l#syntheticData} of each run's number of examples and seed, as {@code d2l-cl train} makes
 * it, made once per pair and kept by the sweep.
 */
public final class Sweep {
    /** The most runs one sweep may hold. */
    public static final int MAX_RUNS = 65536;

    /** What a sweep varies, each one a {@link TrainConfig} field or the number of examples. */
    public enum Setting {
        LR("lr"), BATCH_SIZE("batch-size"), EPOCHS("epochs"), SEED("seed"), INIT("init"), LOSS("loss"),
        OPTIMIZER("optimizer"), EXAMPLES("examples");

        private final String label;

        Setting(String label) {
            this.label = label;
        }

        /** The name of the command line's option, without its dashes: {@code lr}, {@code batch-size}. */
        public String label() {
            return label;
        }

        /** The run's value of this setting as the command line writes it: {@code 0.03}, {@code momentum:0.9}. */
        public String of(Run run) {
            TrainConfig c = run.config();
            return switch (this) {
                case LR -> plain(c.lr());
                case BATCH_SIZE -> Integer.toString(c.batchSize());
                case EPOCHS -> Integer.toString(c.epochs());
                case SEED -> Long.toString(c.seed());
                case INIT -> c.init().name().toLowerCase(Locale.ROOT);
                case LOSS -> c.loss().toString();
                case OPTIMIZER -> c.optimizer().toString();
                case EXAMPLES -> Integer.toString(run.examples());
            };
        }

        /** The run's value as a number, for an axis; NaN for the settings that are not numbers. */
        public double number(Run run) {
            TrainConfig c = run.config();
            return switch (this) {
                case LR -> Double.parseDouble(Float.toString(c.lr()));
                case BATCH_SIZE -> c.batchSize();
                case EPOCHS -> c.epochs();
                case SEED -> c.seed();
                case EXAMPLES -> run.examples();
                default -> Double.NaN;
            };
        }

        private static String plain(float v) {
            return new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * One run of a sweep.
     *
     * @param index its place in {@link #runs()}, from 0
     * @param config its hyper-parameters
     * @param examples its number of examples
     */
    public record Run(int index, TrainConfig config, int examples) {
        /** {@code lr 0.03, batch-size 10, ...}: every setting of the run. */
        @Override
        public String toString() {
            return Arrays.stream(Setting.values()).map(s -> s.label() + " " + s.of(this))
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * How a run diverged: {@link TrainingDivergedException}'s epoch, step and loss.
     *
     * @param epoch the epoch whose loss was not finite; the run's parameters are those before it
     * @param step 1 + the first step after which a parameter was not finite (the epoch kernels), else 0
     * @param loss that epoch's loss: infinite or NaN
     */
    public record Divergence(int epoch, int step, double loss) {
    }

    /**
     * What one run gave.
     *
     * @param run the run
     * @param losses the loss after each epoch it ran ({@link Trainer#epoch()}), the diverged one left out
     * @param batchLosses with {@link TrainConfig#batchLosses()}, each epoch's sum of its batch losses
     *     ({@link Trainer#batchLosses()}); else null
     * @param w the weights after its last finite epoch
     * @param b the bias after its last finite epoch
     * @param diverged how it diverged, or null when it ran all its epochs
     * @param seconds from the start of its training (for runs that share launches, of theirs) to its
     *     last epoch
     * @param trueW the weights its data was drawn with, or null when they are not known
     * @param trueB the bias its data was drawn with (NaN when not known)
     */
    public record Result(Run run, double[] losses, double[] batchLosses, float[] w, float b, Divergence diverged,
            double seconds, float[] trueW, float trueB) {
        /** The loss after the last epoch it ran; NaN when it ran none. */
        public double finalLoss() {
            return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
        }

        /** {@code true_w - w}, as the chapter prints it; null when the true weights are not known. */
        public float[] errorW() {
            if (trueW == null) {
                return null;
            }
            float[] e = new float[w.length];
            for (int j = 0; j < w.length; j++) {
                e[j] = trueW[j] - w[j];
            }
            return e;
        }

        /** {@code true_b - b}; NaN when the true bias is not known. */
        public float errorB() {
            return trueB - b;
        }
    }

    /**
     * What a sweep gave, run by run in the order of {@link #runs()}.
     *
     * @param device the device it ran on
     * @param runs one result per run
     * @param seconds the whole sweep's time, data and set-up included
     * @param schedule how the runs were trained: {@code 15 runs, 1 launch per epoch} or {@code one after another}
     */
    public record Results(String device, List<Result> runs, double seconds, String schedule) {
    }

    private final Dataset given; // the one data set of every run, or null: synthetic data
    private final float[] trueW;
    private final float trueB;
    private final TrainConfig base;
    private final List<Float> lr;
    private final List<Integer> batchSize;
    private final List<Integer> epochs;
    private final List<Long> seed;
    private final List<TrainConfig.Init> init;
    private final List<LossFunction> loss;
    private final List<Optimizer> optimizer;
    private final List<Integer> examples;
    /** The synthetic data sets made so far, by (examples, seed); shared by the sweeps made from this one. */
    private final Map<List<Long>, Dataset> made;

    private Sweep(Dataset given, float[] trueW, float trueB, TrainConfig base, List<Float> lr, List<Integer> batchSize,
            List<Integer> epochs, List<Long> seed, List<TrainConfig.Init> init, List<LossFunction> loss,
            List<Optimizer> optimizer, List<Integer> examples, Map<List<Long>, Dataset> made) {
        this.given = given;
        this.trueW = trueW;
        this.trueB = trueB;
        this.base = base;
        this.lr = List.copyOf(lr);
        this.batchSize = List.copyOf(batchSize);
        this.epochs = List.copyOf(epochs);
        this.seed = List.copyOf(seed);
        this.init = List.copyOf(init);
        this.loss = List.copyOf(loss);
        this.optimizer = List.copyOf(optimizer);
        this.examples = List.copyOf(examples);
        this.made = made;
        long count = (long) lr.size() * batchSize.size() * epochs.size() * seed.size() * init.size() * loss.size()
                * optimizer.size() * examples.size();
        if (count > MAX_RUNS) {
            throw new ConfigException("a sweep of " + count + " runs: at most " + MAX_RUNS + " are allowed");
        }
    }

    /** The chapter's run ({@link TrainConfig#DEFAULT} on 1000 examples of {@code y = 2 x1 - 3.4 x2 + 4.2}), to vary. */
    public static Sweep chapter() {
        return synthetic(new float[] {2f, -3.4f}, 4.2f, 1000, TrainConfig.DEFAULT);
    }

    /**
     * Runs of {@code base} on the chapter's synthetic data of the given true parameters ({@link D2l#syntheticData}
     * of each run's number of examples and seed), {@code examples} of them unless {@link #examples} varies it.
     */
    public static Sweep synthetic(float[] trueW, float trueB, int examples, TrainConfig base) {
        D2l.syntheticData(trueW, trueB, 1, 0); // checks the parameters
        if (examples < 1) {
            throw new ConfigException("examples " + examples + ": at least 1 is needed");
        }
        return new Sweep(null, trueW.clone(), trueB, base, List.of(base.lr()), List.of(base.batchSize()),
                List.of(base.epochs()), List.of(base.seed()), List.of(base.init()), List.of(base.loss()),
                List.of(base.optimizer()), List.of(examples), new ConcurrentHashMap<>());
    }

    /**
     * Runs of {@code base} on {@code data}, every run the same examples (the seed drives the initial
     * weights and the shuffles only); the errors in w and b are not known.
     */
    public static Sweep on(Dataset data, TrainConfig base) {
        return new Sweep(data, null, Float.NaN, base, List.of(base.lr()), List.of(base.batchSize()),
                List.of(base.epochs()), List.of(base.seed()), List.of(base.init()), List.of(base.loss()),
                List.of(base.optimizer()), List.of(data.n()), new ConcurrentHashMap<>());
    }

    /** This sweep over these learning rates. */
    public Sweep lr(float... values) {
        return with(boxed(values, "lr"), batchSize, epochs, seed, init, loss, optimizer, examples);
    }

    /** This sweep over these batch sizes. */
    public Sweep batchSize(int... values) {
        return with(lr, boxed(values, "batch size"), epochs, seed, init, loss, optimizer, examples);
    }

    /** This sweep over these numbers of epochs. */
    public Sweep epochs(int... values) {
        return with(lr, batchSize, boxed(values, "epochs"), seed, init, loss, optimizer, examples);
    }

    /** This sweep over these seeds (each a data set of its own, unless the data was given). */
    public Sweep seed(long... values) {
        List<Long> list = Arrays.stream(values).boxed().toList();
        return with(lr, batchSize, epochs, nonEmpty(list, "seed"), init, loss, optimizer, examples);
    }

    /** This sweep over these initialisations. */
    public Sweep init(TrainConfig.Init... values) {
        return with(lr, batchSize, epochs, seed, nonEmpty(List.of(values), "init"), loss, optimizer, examples);
    }

    /** This sweep over these losses. */
    public Sweep loss(LossFunction... values) {
        return with(lr, batchSize, epochs, seed, init, nonEmpty(List.of(values), "loss"), optimizer, examples);
    }

    /** This sweep over these optimizers. */
    public Sweep optimizer(Optimizer... values) {
        return with(lr, batchSize, epochs, seed, init, loss, nonEmpty(List.of(values), "optimizer"), examples);
    }

    /** This sweep over these numbers of synthetic examples. */
    public Sweep examples(int... values) {
        if (given != null) {
            throw new ConfigException("examples: a sweep on a given data set has its " + given.n() + " examples");
        }
        List<Integer> list = boxed(values, "examples");
        for (int n : list) {
            if (n < 1) {
                throw new ConfigException("examples " + n + ": at least 1 is needed");
            }
        }
        return with(lr, batchSize, epochs, seed, init, loss, optimizer, list);
    }

    private Sweep with(List<Float> lr, List<Integer> batchSize, List<Integer> epochs, List<Long> seed,
            List<TrainConfig.Init> init, List<LossFunction> loss, List<Optimizer> optimizer, List<Integer> examples) {
        return new Sweep(given, trueW, trueB, base, lr, batchSize, epochs, seed, init, loss, optimizer, examples, made);
    }

    private static List<Float> boxed(float[] values, String what) {
        List<Float> list = new ArrayList<>();
        for (float v : values) {
            list.add(v);
        }
        return nonEmpty(list, what);
    }

    private static List<Integer> boxed(int[] values, String what) {
        return nonEmpty(Arrays.stream(values).boxed().toList(), what);
    }

    private static <T> List<T> nonEmpty(List<T> values, String what) {
        if (values.isEmpty()) {
            throw new ConfigException(what + ": a sweep needs at least one value");
        }
        for (T v : values) {
            if (v == null) {
                throw new ConfigException(what + ": null is not a value");
            }
        }
        return values;
    }

    /** The settings with more than one value, in the order of {@link Setting}. */
    public List<Setting> varied() {
        List<Setting> varied = new ArrayList<>();
        List<List<?>> lists = List.of(lr, batchSize, epochs, seed, init, loss, optimizer, examples);
        for (Setting s : Setting.values()) {
            if (lists.get(s.ordinal()).size() > 1) {
                varied.add(s);
            }
        }
        return varied;
    }

    /**
     * Every run, the learning rate varying slowest and the number of examples fastest (the order of
     * {@link Setting}).
     *
     * @throws ConfigException when a run's batch size exceeds its number of examples, or a value is
     *     not allowed ({@link TrainConfig}), naming the run
     */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (float l : lr) {
            for (int bs : batchSize) {
                for (int e : epochs) {
                    for (long s : seed) {
                        for (TrainConfig.Init i : init) {
                            for (LossFunction f : loss) {
                                for (Optimizer o : optimizer) {
                                    for (int n : examples) {
                                        TrainConfig config = new TrainConfig(bs, l, e, s, base.kernels(), i,
                                                base.shuffle(), f, o, base.batchLosses());
                                        if (bs > n) {
                                            throw new ConfigException("batch size " + bs + " with " + n
                                                    + " examples: it must be between 1 and the number of examples");
                                        }
                                        runs.add(new Run(runs.size(), config, n));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return runs;
    }

    /** The number of features of every run's data. */
    public int features() {
        return given != null ? given.d() : trueW.length;
    }

    /** The weights the data is drawn with, or null when the data was given. */
    public float[] trueW() {
        return trueW == null ? null : trueW.clone();
    }

    /** The bias the data is drawn with, NaN when the data was given. */
    public float trueB() {
        return trueB;
    }

    /** The kernels the runs train on: the base configuration's. */
    public Kernels kernels() {
        return base.kernels();
    }

    /**
     * The data of {@code run}: the given data set, or {@code D2l.syntheticData(trueW, trueB, examples, seed)},
     * made on first use and kept.
     */
    public Dataset data(Run run) {
        if (given != null) {
            return given;
        }
        return made.computeIfAbsent(List.of((long) run.examples(), run.config().seed()),
                key -> D2l.syntheticData(trueW, trueB, run.examples(), run.config().seed()));
    }

    /** Trains every run on {@code device} ({@link #train(Backend)}). */
    public Results train(Device device) {
        return train(device.backend());
    }

    /**
     * Trains every run on {@code backend}: on the epoch kernels in launches of many runs, otherwise
     * one run after another. The backend stays the caller's.
     *
     * @throws ConfigException when a run is not allowed ({@link #runs()})
     * @throws org.d2lcl.opencl.DeviceLimitException when a single run does not fit the device
     */
    public Results train(Backend backend) {
        long start = System.nanoTime();
        List<Run> runs = runs();
        Result[] results = new Result[runs.size()];
        String schedule;
        if (base.kernels() == Kernels.EPOCH) {
            // One kind of launch per build of the kernel: the loss and the optimizer's kind.
            Map<String, List<Run>> byBuild = new LinkedHashMap<>();
            for (Run run : runs) {
                byBuild.computeIfAbsent(run.config().rule().buildOptions(), k -> new ArrayList<>()).add(run);
            }
            int launches = 0;
            int alone = 0;
            for (List<Run> group : byBuild.values()) {
                SweepLaunches.Outcome outcome = SweepLaunches.train(backend, group, this::data, trueW, trueB);
                for (Result r : outcome.results()) {
                    results[r.run().index()] = r;
                }
                launches += outcome.launches();
                alone += outcome.alone();
            }
            schedule = runs.size() + " runs, " + launches + (launches == 1 ? " launch" : " launches") + " per epoch"
                    + (alone > 0 ? ", " + alone + " one after another" : "");
        } else {
            for (Run run : runs) {
                results[run.index()] = alone(backend, run, data(run), trueW, trueB);
            }
            schedule = runs.size() + " runs one after another (" + base.kernels() + " kernels)";
        }
        return new Results(backend.description(), List.of(results), (System.nanoTime() - start) / 1e9, schedule);
    }

    /** One run through {@link Trainer}, as {@code d2l-cl train} runs it. */
    static Result alone(Backend backend, Run run, Dataset data, float[] trueW, float trueB) {
        TrainConfig config = run.config();
        double[] losses = new double[config.epochs()];
        double[] batch = config.batchLosses() ? new double[config.epochs()] : null;
        Divergence diverged = null;
        int done = 0;
        long start = System.nanoTime();
        try (Trainer trainer = new Trainer(backend, data, config)) {
            for (; done < config.epochs(); done++) {
                try {
                    losses[done] = trainer.epoch();
                } catch (TrainingDivergedException e) {
                    diverged = new Divergence(e.epoch(), e.step(), e.loss());
                    break;
                }
                if (batch != null) {
                    batch[done] = trainer.batchLosses();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(run, Arrays.copyOf(losses, done), batch == null ? null : Arrays.copyOf(batch, done),
                    trainer.w(), trainer.b(), diverged, seconds, trueW, trueB);
        }
    }

    /** The runs as {@code lr 0.03, batch-size 10, ...}, one a line. */
    @Override
    public String toString() {
        return runs().stream().map(Run::toString).collect(Collectors.joining("\n"));
    }

}
