package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Reference;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Holdout;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Oracle;
import org.d2lcl.testing.StepRules;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A streamed run against the in-memory run of the same seed, on both backends, every kernel path
 * and every step rule, with chunks of one minibatch, of several, and of all the rows: the
 * parameters, the epoch loss and the batch losses are the same bits after every epoch. Chunks of 7
 * and 21 rows split the epoch kernel's blocks of 16 rows for its loss.
 */
class StreamedTrainerTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    private static final int EPOCHS = 3;

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (Named<Backend> backend : backends.both().toList()) {
            for (Kernels kernels : Kernels.values()) {
                StepRules.all(0.03f, 7).forEach(rule -> runs.add(Arguments.of(backend, kernels, Named.of(
                        rule.loss().kind() + " " + rule.loss().reduction() + " " + rule.optimizer(), rule))));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("runs")
    void sameBitsAsInMemory(Backend backend, Kernels kernels, StepRule rule) {
        Dataset data = D2l.syntheticData(new float[] {2, -3.4f, 0.5f}, 4.2f, 200, 42);
        TrainConfig config = new TrainConfig(rule.batchSize(), rule.lr(), EPOCHS, 42, kernels)
                .withLoss(rule.loss()).withOptimizer(rule.optimizer()).withBatchLosses(rule.runningLoss());
        for (int chunk : new int[] {7, 3 * 7, 200}) {
            compare(backend, data, config, chunk, "chunks of " + chunk);
        }
    }

    @Test
    void sameBitsWithoutShufflingAndWithBatchesOverARun() {
        // 5000 rows in batches of 4500: the fused step's two launches (runs of 4096 rows); no shuffle.
        Dataset data = D2l.syntheticData(new float[] {2, -3.4f}, 4.2f, 5000, 7);
        for (Named<Backend> backend : backends.both().toList()) {
            for (Kernels kernels : Kernels.values()) {
                TrainConfig config = new TrainConfig(4500, 0.001f, 2, 7, kernels).withShuffle(false);
                compare(backend.getPayload(), data, config, 4500, backend.getName() + " " + kernels);
            }
        }
    }

    private static void compare(Backend backend, Dataset data, TrainConfig config, int chunk, String what) {
        try (Trainer inMemory = new Trainer(backend, data, config);
             StreamedTrainer streamed = new StreamedTrainer(backend, data, config, new StreamPlan(chunk))) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                String at = what + ", epoch " + epoch;
                double expected = inMemory.epoch();
                double got = streamed.epoch();
                Compare.exactly(at + ": w", inMemory.w(), streamed.w(), data.d());
                Compare.exactly(at + ": b", new float[] {inMemory.b()}, new float[] {streamed.b()}, 1);
                assertEquals(expected, got, 0.0, at + ": the epoch loss");
                assertEquals(inMemory.batchLosses(), streamed.batchLosses(), 0.0, at + ": the batch losses");
            }
        }
    }

    /** The strict-device tier ({@code StrictDeviceTest}): a small streamed run on every path, the in-memory run's bits. */
    @Tag("strict")
    @ParameterizedTest(name = "strict: {0}, n 48, d {1}, batch 16, chunks of 16 and 32: the in-memory bits")
    @CsvSource({"UNFUSED, 2", "FUSED, 2", "EPOCH, 2", "FUSED, 17", "EPOCH, 17"})
    void strictDevice(Kernels kernels, int d) {
        float[] trueW = new float[d];
        for (int j = 0; j < d; j++) {
            trueW[j] = (j % 3) - 1.5f + 0.25f * j / d;
        }
        Dataset data = D2l.syntheticData(trueW, 0.7f, 48, 7);
        TrainConfig config = new TrainConfig(16, 0.03f, 2, 11, kernels);
        for (int chunk : new int[] {16, 32}) {
            compare(backends.openCl(), data, config, chunk, kernels + ", chunks of " + chunk);
        }
    }

    @Test
    void aDivergedEpochIsUndoneAsInMemory() {
        Dataset data = D2l.syntheticData(new float[] {2, -3.4f}, 4.2f, 100, 3);
        TrainConfig config = new TrainConfig(10, 30f, 5, 3, Kernels.FUSED);
        for (Named<Backend> backend : backends.both().toList()) {
            try (Trainer inMemory = new Trainer(backend.getPayload(), data, config);
                 StreamedTrainer streamed = new StreamedTrainer(backend.getPayload(), data, config, new StreamPlan(20))) {
                TrainingDivergedException expected = null;
                TrainingDivergedException got = null;
                for (int epoch = 1; epoch <= config.epochs() && expected == null; epoch++) {
                    try {
                        inMemory.epoch();
                    } catch (TrainingDivergedException e) {
                        expected = e;
                    }
                    try {
                        streamed.epoch();
                    } catch (TrainingDivergedException e) {
                        got = e;
                    }
                }
                assertTrue(expected != null, "lr 30 diverges in memory");
                assertEquals(expected.getMessage(), got == null ? null : got.getMessage(), backend.getName());
                Compare.exactly(backend.getName() + ": w after the undone epoch", inMemory.w(), streamed.w(), 2);
                assertEquals(inMemory.epochsDone(), streamed.epochsDone());
            }
        }
    }

    @Test
    void aHeldOutSetStreamedGivesTheSameLossAsUploaded() {
        Dataset data = D2l.syntheticData(new float[] {2, -3.4f, 1}, 4.2f, 1000, 5);
        float[] w = {1.5f, -3f, 0.25f};
        for (Named<Backend> backend : backends.both().toList()) {
            for (int chunk : new int[] {1, 64, 999, 5000}) {
                try (HeldOutLoss inMemory = new HeldOutLoss(backend.getPayload(), data);
                     HeldOutLoss streamed = new HeldOutLoss(backend.getPayload(),
                             Holdout.rows(data, java.util.stream.IntStream.range(0, 1000).toArray()), chunk)) {
                    assertEquals(inMemory.loss(w, 4f), streamed.loss(w, 4f), 0.0, backend.getName() + " chunks of " + chunk);
                }
            }
            try (HeldOutLoss inMemory = new HeldOutLoss(backend.getPayload(), Holdout.split(data, 0.3, 5).heldOut());
                 HeldOutLoss streamed = new HeldOutLoss(backend.getPayload(),
                         Holdout.rows(data, Holdout.parts(1000, 0.3, 5)[1]), 100)) {
                assertEquals(inMemory.loss(w, 4f), streamed.loss(w, 4f), 0.0, backend.getName() + " a held-out part");
            }
        }
    }

    /**
     * A device whose largest allocation is {@code maxFloats} floats (as {@code checkCapacity} says of
     * {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}); no other call is expected of it.
     */
    private static Backend deviceOf(long maxFloats) {
        return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("checkCapacity")) {
                        throw new AssertionError("StreamPlan called " + method.getName());
                    }
                    for (long floats : (long[]) args[0]) {
                        if (floats > maxFloats) {
                            throw new org.d2lcl.opencl.DeviceLimitException(floats + " floats > " + maxFloats);
                        }
                    }
                    return null;
                });
    }

    @Test
    void dataLargerThanTheDeviceStreamsInChunksItHolds() {
        int n = 100_000, d = 16, bs = 100;
        assertEquals(null, StreamPlan.of(deviceOf((long) n * d), n, d, bs, 0), "fits: in memory");
        long limit = 50_000L * d; // the features no longer fit one allocation
        StreamPlan plan = StreamPlan.of(deviceOf(limit), n, d, bs, 0);
        assertTrue(plan != null && plan.chunkRows() % bs == 0 && (long) plan.chunkRows() * d <= limit,
                String.valueOf(plan));
        org.d2lcl.opencl.DeviceLimitException tiny = assertThrows(org.d2lcl.opencl.DeviceLimitException.class,
                () -> StreamPlan.of(deviceOf(bs * d - 1), n, d, bs, 0));
        assertTrue(tiny.getMessage().contains("floats >"), tiny.getMessage());
    }

    @Test
    void chunksHoldWholeMinibatches() {
        Dataset data = D2l.syntheticData(new float[] {2}, 1f, 50, 1);
        TrainConfig config = new TrainConfig(7, 0.03f, 1, 1);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new StreamedTrainer(backends.java(), data, config, new StreamPlan(10)));
        assertTrue(e.getMessage().contains("chunk of 10 rows"), e.getMessage());
    }

    @Test
    void aBudgetBelowTheRunStreamsInChunksThatFitIt() {
        Backend java = backends.java();
        int n = 10_000, d = 8, bs = 10;
        assertEquals(null, StreamPlan.of(java, n, d, bs, 0), "no budget, and it fits: in memory");
        long budget = 100_000;
        StreamPlan plan = StreamPlan.of(java, n, d, bs, budget);
        assertTrue(plan.chunkRows() % bs == 0 && plan.chunkRows() >= bs, plan.toString());
        assertTrue(StreamPlan.bytes(n, d, bs, plan.chunkRows()) <= budget, plan.toString());
        assertTrue(StreamPlan.bytes(n, d, bs, plan.chunkRows() + bs) > budget, "the largest chunk: " + plan);
        ConfigException small = assertThrows(ConfigException.class, () -> StreamPlan.of(java, n, d, bs, 40_000));
        assertTrue(small.getMessage().contains("needs at least"), small.getMessage());
    }
}
