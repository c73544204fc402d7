package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


/**
 * Too large a learning rate on the chapter's data: the trainer stops at the first epoch whose loss
 * is not finite, says so in one sentence, and keeps the parameters of the last finite epoch, bit
 * for bit. (lr = 3.0 overflows within epoch 1; lr = 2.2 leaves epoch 1 finite, about 2e+27, and
 * overflows in epoch 2; in both the parameters stay finite and the loss's squares overflow.) With
 * lr = 30 the parameters themselves become NaN, and on the epoch kernel the message names the step
 * whose update did it, from the kernel's device-side flag.
 */
class DivergenceTest {
    static final Dataset D2L_DATA = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);

    private static String e1(double loss) {
        return String.format(Locale.ROOT, "%.1e", loss);
    }

    @ParameterizedTest(name = "{0} kernels")
    @EnumSource(Kernels.class)
    void lr3DivergesInEpoch1AndKeepsTheInitialParameters(Kernels kernels) {
        try (Backend backend = new OpenClBackend(TestDevice.get())) {
            checkEpoch1(backend, kernels);
        }
    }

    @ParameterizedTest(name = "{0} kernels")
    @EnumSource(Kernels.class)
    void lr3DivergesTheSameWayOnTheJavaBackend(Kernels kernels) {
        try (Backend backend = new JavaBackend()) {
            checkEpoch1(backend, kernels);
        }
    }

    private static void checkEpoch1(Backend backend, Kernels kernels) {
        TrainConfig config = TrainConfig.DEFAULT.withLr(3.0f).withKernels(kernels);
        try (Trainer trainer = new Trainer(backend, D2L_DATA, config)) {
            float[] w0 = trainer.w();
            float b0 = trainer.b();
            double loss0 = trainer.loss();

            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::epoch);
            assertEquals("training diverged at epoch 1 (loss = inf); last finite loss " + e1(loss0)
                    + " at epoch 0 (the initial parameters); try a smaller learning rate than 3", e.getMessage());
            assertEquals(1, e.epoch());
            assertEquals(0, e.step(), "the parameters stayed finite: no step made them inf or NaN");
            assertTrue(Double.isInfinite(e.loss()), "loss " + e.loss());
            assertEquals(0, e.lastFiniteEpoch());
            assertEquals(loss0, e.lastFiniteLoss());
            assertEquals(3.0f, e.lr());

            assertEquals(0, trainer.epochsDone(), "the diverged epoch does not count");
            Compare.bitwise("w after divergence = initial w", w0, trainer.w(), w0.length);
            Compare.bitwise("b after divergence = initial b", new float[] {b0}, new float[] {trainer.b()}, 1);
            assertEquals(loss0, trainer.loss(), "the trainer is whole and usable");
        }
    }

    @ParameterizedTest(name = "{0} kernels")
    @EnumSource(Kernels.class)
    void lr22DivergesInEpoch2AndKeepsEpoch1sParameters(Kernels kernels) {
        TrainConfig config = TrainConfig.DEFAULT.withLr(2.2f).withKernels(kernels);
        try (Backend backend = new OpenClBackend(TestDevice.get());
             Trainer trainer = new Trainer(backend, D2L_DATA, config)) {
            double loss1 = trainer.epoch();
            assertTrue(Double.isFinite(loss1) && loss1 > 1e20, "epoch 1 is finite but already huge: " + loss1);
            float[] w1 = trainer.w();
            float b1 = trainer.b();

            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::epoch);
            assertEquals("training diverged at epoch 2 (loss = inf); last finite loss " + e1(loss1)
                    + " at epoch 1; try a smaller learning rate than 2.2", e.getMessage());
            assertEquals(1, trainer.epochsDone());
            Compare.bitwise("w after divergence = w after epoch 1", w1, trainer.w(), w1.length);
            Compare.bitwise("b after divergence = b after epoch 1", new float[] {b1}, new float[] {trainer.b()}, 1);
            assertEquals(loss1, trainer.loss());
            assertEquals(1, Checkpoint.of(trainer).epoch(), "a checkpoint now holds the last finite epoch");
        }
    }

    @Test
    void theEpochKernelNamesTheStepThatMadeTheParametersNaN() {
        TrainConfig config = TrainConfig.DEFAULT.withLr(30f).withKernels(Kernels.EPOCH);
        int[] steps = new int[2];
        Backend[] backends = {new OpenClBackend(TestDevice.get()), new JavaBackend()};
        for (int i = 0; i < 2; i++) {
            try (Backend backend = backends[i]; Trainer trainer = new Trainer(backend, D2L_DATA, config)) {
                TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::epoch);
                steps[i] = e.step();
                assertTrue(e.step() >= 1 && e.step() <= 100, "one of epoch 1's 100 steps: " + e.step());
                assertTrue(Double.isNaN(e.loss()), "loss " + e.loss());
                assertTrue(e.getMessage().startsWith("training diverged at epoch 1, step " + e.step() + " (loss = nan);"),
                        e.getMessage());
            }
        }
        assertEquals(steps[1], steps[0], "the Java reference of the epoch kernel flags the same step");
        for (Kernels other : new Kernels[] {Kernels.UNFUSED, Kernels.FUSED}) {
            try (Backend backend = new OpenClBackend(TestDevice.get());
                 Trainer trainer = new Trainer(backend, D2L_DATA, config.withKernels(other))) {
                assertEquals(0, assertThrows(TrainingDivergedException.class, trainer::epoch).step(),
                        other + " kernels do not report a step");
            }
        }
    }

    @Test
    void theMessageNamesTheStepWhenKnown() {
        assertEquals("training diverged at epoch 2, step 37 (loss = inf); last finite loss 1.2e+07 at epoch 1; try a"
                + " smaller learning rate than 3",
                new TrainingDivergedException(2, Double.POSITIVE_INFINITY, 37, 1, 1.2e7, 3.0f).getMessage());
    }

    @Test
    void theMessageFormatsNanAndAnAlreadyInfiniteStart() {
        assertEquals("training diverged at epoch 4 (loss = nan); last finite loss 1.2e+07 at epoch 3; try a smaller"
                + " learning rate than 0.5", new TrainingDivergedException(4, Double.NaN, 0, 3, 1.2e7, 0.5f).getMessage());
        assertEquals("training diverged at epoch 1 (loss = inf); the loss is inf already with the parameters of"
                + " epoch 0: the data may be too large for float32; try scaling it",
                new TrainingDivergedException(1, Double.POSITIVE_INFINITY, 0, 0, Double.POSITIVE_INFINITY, 0.03f)
                        .getMessage());
    }
}
