package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;


/** The trainer on its own: pinned numbers, the state before any epoch, its checks and its resources. */
class TrainerTest {
    /**
     * Pinned numbers (llm.c's {@code expected_losses}): the Java backend's epoch losses and final
     * parameters for seed 42, recorded once from this code (Trainer on JavaBackend, printed with
     * {@code %.17g}); re-recorded when the seed's streams became SplitMix64's, so that every 64-bit
     * seed has its own, and when the synthetic data came to be drawn by Philox4x32-10 ({@code philox.cl}). Java's float arithmetic is reproducible bit for bit, so any change larger than
     * the tolerance means the semantics changed: the data, the initial weights, the shuffle, the
     * update or the loss. The tolerance, 1e-5 relative for losses and 1e-6 for parameters, only leaves
     * room for the reference to sum in another order (that moves these losses by under 6e-6 relative).
     */
    @Test
    void pinnedNumbersOfTheChaptersRun() {
        pinned(new float[] {2f, -3.4f}, 4.2f, 10,
                new double[] {0.030747615814208984, 0.00010958733409643173, 5.2623361349105840e-05},
                new float[] {2.00039458f, -3.39988399f}, 4.19999695f);
    }

    /** The same with a last partial batch (1000 = 142·7 + 6), so a change to how it is treated shows. */
    @Test
    void pinnedNumbersWithAPartialLastBatch() {
        pinned(new float[] {2f, -3.4f}, 4.2f, 7,
                new double[] {0.0021137716770172120, 5.2814058959484100e-05, 5.2730254828929900e-05},
                new float[] {2.00053668f, -3.40003443f}, 4.20058632f);
    }

    private static void pinned(float[] trueW, float trueB, int batchSize, double[] losses, float[] w, float b) {
        Dataset data = D2l.syntheticData(trueW, trueB, 1000, 42);
        try (JavaBackend java = new JavaBackend();
             Trainer trainer = new Trainer(java, data, new TrainConfig(batchSize, 0.03f, 3, 42))) {
            for (int e = 0; e < losses.length; e++) {
                double loss = trainer.epoch();
                assertEquals(losses[e], loss, 1e-5 * losses[e], "epoch " + (e + 1) + " loss, batch size " + batchSize
                        + " (pinned " + losses[e] + ", tolerance 1e-5 relative)");
            }
            assertArrayEquals(w, trainer.w(), 1e-6f, "w after 3 epochs, batch size " + batchSize);
            assertEquals(b, trainer.b(), 1e-6f, "b after 3 epochs, batch size " + batchSize);
        }
    }

    /**
     * A synthetic data set drawn on the device ({@code Backend.syntheticData}, its host arrays never
     * made) trains to the same losses and parameter bits as its host arrays uploaded, on OpenCL and
     * on Java, with the unfused kernels and with the epoch kernel.
     */
    @Test
    void aDeviceDrawnDatasetTrainsAsItsHostArraysDo() {
        for (Kernels kernels : new Kernels[] {Kernels.UNFUSED, Kernels.EPOCH}) {
            TrainConfig config = new TrainConfig(10, 0.03f, 2, 42).withKernels(kernels);
            try (JavaBackend java = new JavaBackend(); OpenClBackend cl = new OpenClBackend(TestDevice.get())) {
                for (org.d2lcl.backend.Backend backend : new org.d2lcl.backend.Backend[] {cl, java}) {
                    Dataset data = D2l.syntheticData(new float[] {2f, -3.4f, 0.5f}, 4.2f, 1001, 42);
                    double[] drawn = new double[2];
                    float[] wDrawn;
                    float bDrawn;
                    try (Trainer t = new Trainer(backend, data, config)) {
                        drawn[0] = t.epoch();
                        drawn[1] = t.epoch();
                        wDrawn = t.w();
                        bDrawn = t.b();
                    }
                    assertTrue(!data.materialized(), "the trainer made the host arrays on " + backend.description());
                    Dataset uploaded = new Dataset(data.features(), data.labels(), data.n(), data.d());
                    try (Trainer t = new Trainer(backend, uploaded, config)) {
                        String on = kernels + " on " + backend.description();
                        assertEquals(drawn[0], t.epoch(), 0.0, "epoch 1 loss, " + on);
                        assertEquals(drawn[1], t.epoch(), 0.0, "epoch 2 loss, " + on);
                        assertArrayEquals(t.w(), wDrawn, "w, " + on);
                        assertEquals(Float.floatToRawIntBits(t.b()), Float.floatToRawIntBits(bDrawn), "b, " + on);
                    }
                }
            }
        }
    }

    /** Before any epoch: {@code w ~ N(0, 0.01)} from the seed, {@code b = 0}, the same on both backends. */
    @Test
    void initialParameters() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f, 1f, 0.5f}, 4.2f, 100, 7);
        TrainConfig config = new TrainConfig(10, 0.03f, 0, 7);
        try (JavaBackend java = new JavaBackend(); OpenClBackend cl = new OpenClBackend(TestDevice.get());
             Trainer onJava = new Trainer(java, data, config); Trainer onCl = new Trainer(cl, data, config)) {
            float[] w = onJava.w();
            assertArrayEquals(w, onCl.w(), 0f, "initial w on both backends");
            assertArrayEquals(w, D2l.initialWeights(4, 7), 0f, "initial w is drawn from the seed");
            for (float wj : w) {
                assertTrue(wj != 0 && Math.abs(wj) < 0.05, "initial w " + Arrays.toString(w)
                        + " should look like N(0, 0.01) (|w| < 5 sigma)");
            }
            assertEquals(0f, onJava.b());
            assertEquals(0f, onCl.b());
            assertEquals(0, onJava.epochsDone());
            assertEquals(onJava.loss(), onCl.loss(), 1e-6 * onJava.loss(), "the loss before training");
        }
    }

    @Test
    void refusesABatchLargerThanTheData() {
        Dataset data = D2l.syntheticData(new float[] {2f}, 1f, 5, 1);
        try (JavaBackend java = new JavaBackend()) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new Trainer(java, data, new TrainConfig(6, 0.03f, 1, 1)));
            assertTrue(e.getMessage().contains("batch size 6") && e.getMessage().contains("5"), e.getMessage());
        }
    }

    @Test
    void configChecksNameTheValueAndTheRule() {
        assertMessage(() -> new TrainConfig(0, 0.03f, 3, 1), "batch size 0", ">= 1");
        assertMessage(() -> new TrainConfig(10, 0f, 3, 1), "learning rate 0.0", "finite number > 0");
        assertMessage(() -> new TrainConfig(10, -1f, 3, 1), "learning rate -1.0", "finite number > 0");
        assertMessage(() -> new TrainConfig(10, Float.NaN, 3, 1), "learning rate NaN", "finite number > 0");
        assertMessage(() -> new TrainConfig(10, Float.POSITIVE_INFINITY, 3, 1), "learning rate Infinity", "finite");
        assertMessage(() -> new TrainConfig(10, 0.03f, -1, 1), "epochs -1", ">= 0");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        ConfigException e = assertThrows(ConfigException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should name '" + part + "'");
        }
    }

    /** Every buffer a trainer makes is released by its close(): a second trainer leaves the count where the first did. */
    @Test
    void closeReleasesEveryBuffer() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 100, 3);
        TrainConfig config = new TrainConfig(7, 0.03f, 1, 3);
        try (OpenClBackend cl = new OpenClBackend(TestDevice.get())) {
            int[] after = new int[3];
            for (int run = 0; run < after.length; run++) {
                try (Trainer trainer = new Trainer(cl, data, config)) {
                    trainer.epoch();
                    assertTrue(cl.context().openResources() > after[0], "a trainer holds buffers while open");
                }
                after[run] = cl.context().openResources();
            }
            assertEquals(after[0], after[1], "open OpenCL objects after the first and the second trainer");
            assertEquals(after[0], after[2], "open OpenCL objects after the first and the third trainer");
        }
    }

    /**
     * The chapter's exercise "initialise the weights to zero: does it still work?": yes, for linear
     * regression (the loss is convex and no symmetry needs breaking); w starts at exactly 0, and the
     * chapter's run reaches its accuracy, on both backends with the same bits on the epoch kernel.
     */
    @Test
    void zeroInitialisationStartsAtZeroAndConverges() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        TrainConfig config = TrainConfig.DEFAULT.withInit(TrainConfig.Init.ZEROS);
        try (JavaBackend java = new JavaBackend(); OpenClBackend cl = new OpenClBackend(TestDevice.get());
             Trainer onJava = new Trainer(java, data, config); Trainer onCl = new Trainer(cl, data, config)) {
            assertArrayEquals(new float[2], onJava.w(), 0f, "w starts at 0");
            for (int e = 0; e < 3; e++) {
                onJava.epoch();
                onCl.epoch();
            }
            assertArrayEquals(onJava.w(), onCl.w(), 0f, "Java and OpenCL, bit for bit");
            assertTrue(onJava.loss() < 2e-4, "epoch-3 loss " + onJava.loss());
            assertEquals(2f, onJava.w()[0], 0.01f);
            assertEquals(-3.4f, onJava.w()[1], 0.01f);
            assertEquals(4.2f, onJava.b(), 0.01f);
        }
    }

    /**
     * Without shuffling every epoch visits the examples in the data's order: the run equals the
     * reference epoch over the identity permutation, bit for bit, and differs from a shuffled run.
     */
    @Test
    void withoutShuffleTheEpochsVisitTheDataInOrder() {
        Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        TrainConfig config = TrainConfig.DEFAULT.withShuffle(false);
        float[] w = D2l.initialWeights(2, config.seed());
        float[] b = {0f};
        int[] identity = new int[1000];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        try (JavaBackend java = new JavaBackend(); Trainer inOrder = new Trainer(java, data, config);
             Trainer shuffled = new Trainer(java, data, TrainConfig.DEFAULT)) {
            for (int e = 0; e < 2; e++) {
                inOrder.epoch();
                shuffled.epoch();
                org.d2lcl.backend.Reference.linregEpoch(w, b, new float[1], new int[1], data.features(),
                        data.labels(), identity, config.lr(), config.batchSize(), data.n(), data.d());
            }
            assertArrayEquals(w, inOrder.w(), 0f, "two epochs in the data's order");
            assertEquals(b[0], inOrder.b(), 0f);
            assertTrue(!Arrays.equals(inOrder.w(), shuffled.w()), "a shuffled run takes other steps");
        }
    }
}
