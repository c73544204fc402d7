package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.DeviceLimitException;
import org.d2lcl.testing.StepRules;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every run of a {@link Sweep} gives, bit for bit, what the same run gives alone through
 * {@link Trainer} (made here, on data made here): the loss after each epoch, the batch losses, w,
 * b, and where it diverged (epoch and step). On every kernel path and on OpenCL and the Java
 * backend; for every loss and optimizer of {@link StepRules#all}; with runs that differ in data
 * (examples, seed), epochs (some finish early), initialisation and step rule (separate launches);
 * and with a device too small for all the runs at once (batches one after another).
 */
class SweepTest {
    private static final float[] TRUE_W = {2f, -3.4f};
    private static final float TRUE_B = 4.2f;

    /** What one run gives alone. */
    record Alone(double[] losses, double[] batchLosses, float[] w, float b, int divergedEpoch, int step) {
    }

    /** The run alone through {@link Trainer}, as {@code d2l-cl train} trains it. */
    static Alone alone(Backend backend, Dataset data, TrainConfig config) {
        List<Double> losses = new ArrayList<>();
        List<Double> batch = new ArrayList<>();
        int epoch = 0;
        int step = 0;
        try (Trainer trainer = new Trainer(backend, data, config)) {
            for (int e = 0; e < config.epochs(); e++) {
                try {
                    losses.add(trainer.epoch());
                    batch.add(trainer.batchLosses());
                } catch (TrainingDivergedException d) {
                    epoch = d.epoch();
                    step = d.step();
                    break;
                }
            }
            return new Alone(losses.stream().mapToDouble(Double::doubleValue).toArray(),
                    config.batchLosses() ? batch.stream().mapToDouble(Double::doubleValue).toArray() : null,
                    trainer.w(), trainer.b(), epoch, step);
        }
    }

    /** Every run of {@code results} against itself alone on {@code backend}; returns how many diverged. */
    static int checkEveryRun(Backend backend, Sweep.Results results, float[] trueW, float trueB) {
        int diverged = 0;
        for (Sweep.Result r : results.runs()) {
            Sweep.Run run = r.run();
            Dataset data = D2l.syntheticData(trueW, trueB, run.examples(), run.config().seed());
            Alone a = alone(backend, data, run.config());
            String what = results.schedule() + ": run " + run.index() + " (" + run + ")";
            assertArrayEquals(a.losses(), r.losses(), what + ": the losses, epoch by epoch");
            if (a.batchLosses() != null) {
                assertArrayEquals(a.batchLosses(), r.batchLosses(), what + ": the batch losses");
            } else {
                assertNull(r.batchLosses(), what + ": no batch losses");
            }
            assertArrayEquals(bits(a.w()), bits(r.w()), what + ": w, bit for bit: " + Arrays.toString(a.w()) + " vs "
                    + Arrays.toString(r.w()));
            assertEquals(Float.floatToRawIntBits(a.b()), Float.floatToRawIntBits(r.b()), what + ": b, bit for bit: "
                    + a.b() + " vs " + r.b());
            if (a.divergedEpoch() == 0) {
                assertNull(r.diverged(), what + ": ran all its epochs alone");
            } else {
                assertEquals(a.divergedEpoch(), r.diverged().epoch(), what + ": the epoch it diverged in");
                assertEquals(a.step(), r.diverged().step(), what + ": the step it diverged at");
                diverged++;
            }
            float[] error = r.errorW();
            for (int j = 0; j < trueW.length; j++) {
                assertEquals(trueW[j] - r.w()[j], error[j], 0f, what + ": the error in w");
            }
        }
        return diverged;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    static Backend backend(boolean java) {
        return java ? new JavaBackend() : new OpenClBackend(TestDevice.get());
    }

    static Stream<Arguments> pathsAndBackends() {
        return Stream.of(Kernels.values()).flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    /**
     * 48 runs: three learning rates (3 diverges), two batch sizes, one and three epochs, two seeds,
     * 1000 and 100 examples.
     */
    @ParameterizedTest(name = "{0}, Java backend {1}: each of 48 runs bitwise as alone")
    @MethodSource("pathsAndBackends")
    void everyRunIsTheRunAlone(Kernels kernels, boolean java) {
        Sweep sweep = Sweep.synthetic(TRUE_W, TRUE_B, 1000, new TrainConfig(10, 0.03f, 3, 42, kernels))
                .lr(0.01f, 0.03f, 3f).batchSize(10, 7).epochs(1, 3).seed(42, 7).examples(1000, 100);
        try (Backend backend = backend(java)) {
            Sweep.Results results = sweep.train(backend);
            assertEquals(48, results.runs().size());
            int diverged = checkEveryRun(backend, results, TRUE_W, TRUE_B);
            assertTrue(diverged > 0 && diverged < 48, "some runs diverge (lr 3), others not: " + diverged);
            if (kernels == Kernels.EPOCH) {
                assertEquals("48 runs, 1 launch per epoch", results.schedule());
            }
        }
    }

    static Stream<Arguments> rulesPathsAndBackends() {
        return StepRules.all(0.03f, 10).flatMap(r -> pathsAndBackends().map(a -> Arguments.of(r, a.get()[0],
                a.get()[1])));
    }

    /** Each rule of {@link StepRules#all} (its running loss: {@link TrainConfig#batchLosses}), over two lrs, batch sizes and data sizes. */
    @ParameterizedTest(name = "{0}, {1}, Java backend {2}: each run bitwise as alone")
    @MethodSource("rulesPathsAndBackends")
    void everyRuleGivesEachRunItsBitsAlone(StepRule rule, Kernels kernels, boolean java) {
        TrainConfig base = new TrainConfig(10, 0.03f, 2, 5, kernels).withLoss(rule.loss())
                .withOptimizer(rule.optimizer()).withBatchLosses(rule.runningLoss());
        Sweep sweep = Sweep.synthetic(TRUE_W, TRUE_B, 200, base).lr(0.01f, 0.03f).batchSize(10, 7).examples(200, 57);
        try (Backend backend = backend(java)) {
            checkEveryRun(backend, sweep.train(backend), TRUE_W, TRUE_B);
        }
    }

    /**
     * Losses and optimizers as settings of one sweep: the runs of each build of the kernel share
     * a launch (here 4 builds), every run still its bits alone; with zeros as a start too.
     */
    @ParameterizedTest(name = "Java backend {0}: four builds, four launches per epoch")
    @MethodSource("org.d2lcl.SweepTest#javaOrNot")
    void rulesOfDifferentBuildsGoInLaunchesOfTheirOwn(boolean java) {
        Sweep sweep = Sweep.synthetic(TRUE_W, TRUE_B, 300, new TrainConfig(10, 0.03f, 2, 3))
                .loss(LossFunction.squaredLoss(LossFunction.Reduction.SUM), LossFunction.huberLoss(0.5f))
                .optimizer(Optimizer.sgd(), Optimizer.momentum(0.9f)).init(TrainConfig.Init.NORMAL,
                        TrainConfig.Init.ZEROS).lr(0.01f, 0.02f);
        try (Backend backend = backend(java)) {
            Sweep.Results results = sweep.train(backend);
            assertEquals("16 runs, 4 launches per epoch", results.schedule());
            checkEveryRun(backend, results, TRUE_W, TRUE_B);
        }
    }

    static Stream<Boolean> javaOrNot() {
        return Stream.of(false, true);
    }

    /**
     * A device whose memory holds the tensors of about 3 runs (here: a backend that refuses more
     * than 8000 floats in one capacity check): 8 runs on 8 data sets go in batches, one after
     * another, and each still gives its bits alone; a run too large for it trains alone and says so.
     */
    @Test
    void aSmallDeviceTakesTheRunsInBatches() {
        try (JavaBackend java = new JavaBackend()) {
            Backend small = limited(java, 8000);
            Sweep sweep = Sweep.synthetic(TRUE_W, TRUE_B, 500, new TrainConfig(10, 0.03f, 2, 42))
                    .seed(1, 2, 3, 4, 5, 6, 7, 8);
            Sweep.Results results = sweep.train(small);
            assertTrue(results.schedule().matches("8 runs, [3-8] launches per epoch"), results.schedule());
            checkEveryRun(java, results, TRUE_W, TRUE_B);
            Sweep large = Sweep.synthetic(TRUE_W, TRUE_B, 5000, new TrainConfig(10, 0.03f, 1, 42));
            DeviceLimitException e = assertThrows(DeviceLimitException.class, () -> large.train(limited(java, 8000)));
            assertTrue(e.getMessage().contains("8000"), e.getMessage());
        }
    }

    /** {@code backend} but for {@link Backend#checkCapacity}, which refuses more than {@code floats} in all. */
    static Backend limited(Backend backend, long floats) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("checkCapacity")) {
                        long sum = Arrays.stream((long[]) args[0]).sum();
                        if (sum > floats) {
                            throw new DeviceLimitException(sum + " floats: this device holds " + floats);
                        }
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theCrossProductIsInTheOrderOfTheSettings() {
        Sweep sweep = Sweep.chapter().lr(0.001f, 0.1f).batchSize(1, 10, 100);
        List<Sweep.Run> runs = sweep.runs();
        assertEquals(6, runs.size());
        assertEquals(List.of(Sweep.Setting.LR, Sweep.Setting.BATCH_SIZE), sweep.varied());
        assertEquals("0.001", Sweep.Setting.LR.of(runs.get(0)));
        assertEquals("100", Sweep.Setting.BATCH_SIZE.of(runs.get(2)));
        assertEquals("0.1", Sweep.Setting.LR.of(runs.get(3)));
        assertEquals("lr 0.001, batch-size 1, epochs 3, seed 42, init normal, loss squared, optimizer sgd, examples 1000",
                runs.get(0).toString());
        ConfigException tooLarge = assertThrows(ConfigException.class, () -> Sweep.chapter().batchSize(10)
                .examples(5).runs());
        assertTrue(tooLarge.getMessage().contains("batch size 10 with 5 examples"), tooLarge.getMessage());
        assertThrows(ConfigException.class, () -> Sweep.chapter().lr());
        assertThrows(ConfigException.class, () -> Sweep.chapter().lr(-1f).runs());
        int[] many = new int[300];
        Arrays.setAll(many, i -> i + 1);
        assertThrows(ConfigException.class, () -> Sweep.chapter().batchSize(many).epochs(many));
    }

    /**
     * The strict-device tier ({@code StrictDeviceTest}): a small sweep on the epoch kernels (two
     * data sizes, a diverging lr, one run finishing early), each run bitwise as alone on OpenCL.
     */
    @Tag("strict")
    @Test
    void strictDevice() {
        Sweep sweep = Sweep.synthetic(TRUE_W, TRUE_B, 48, new TrainConfig(16, 0.03f, 2, 11)).lr(0.03f, 1e8f)
                .examples(48, 20).epochs(1, 2);
        try (Backend backend = backend(false)) {
            Sweep.Results results = sweep.train(backend);
            assertEquals("8 runs, 1 launch per epoch", results.schedule());
            assertTrue(checkEveryRun(backend, results, TRUE_W, TRUE_B) > 0, "lr 1e8 diverges");
        }
    }
}
