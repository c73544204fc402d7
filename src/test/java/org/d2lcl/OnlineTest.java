package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2lcl.backend.Backend;
import org.d2lcl.testing.BackendExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The online variant ({@link Online}): fresh batches drawn on the device, the same on both backends;
 * w is recovered within the write-up's 500 iterations and b, which learns slowly with x in [0, 20),
 * within 5000; lr 1e-3 diverges.
 */
class OnlineTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    private static double[] run(Backend backend, Online.Config config, int iterations) {
        try (Online online = new Online(backend, config)) {
            double loss = Double.NaN;
            for (int i = 0; i < iterations; i++) {
                loss = online.iteration();
            }
            return new double[] {loss, online.w(), online.b()};
        }
    }

    @Test
    void bothBackendsDrawTheSameBatchesAndAgree() {
        double[] cl = run(backends.openCl(), Online.Config.DEFAULT, 500);
        double[] java = run(backends.java(), Online.Config.DEFAULT, 500);
        // The batches are the same bits; the gradient's and the loss's sums of 32 terms may round
        // differently, so the 500 steps agree to 1e-5 relative, not bit for bit.
        for (int k = 0; k < 3; k++) {
            assertEquals(java[k], cl[k], 1e-5 * Math.abs(java[k]), "loss, w, b [" + k + "]");
        }
    }

    @Test
    void recoversWInTheWriteUpsRunAndBWithMoreIterations() {
        double[] after500 = run(backends.java(), Online.Config.DEFAULT, 500);
        assertEquals(2.0, after500[1], 0.05, "w after 500 iterations");
        assertTrue(after500[2] > 0.2 && after500[2] < 1, "b after 500 iterations is still on its way: " + after500[2]);
        double[] after5000 = run(backends.openCl(), Online.Config.DEFAULT, 5000);
        assertEquals(2.0, after5000[1], 0.05, "w after 5000 iterations");
        assertEquals(1.0, after5000[2], 0.1, "b after 5000 iterations");
    }

    @Test
    void aLearningRateOf1e3Diverges() {
        try (Online online = new Online(backends.java(), Online.Config.of(32, 1e-3f, 500, 42))) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
                for (int i = 0; i < 500; i++) {
                    online.iteration();
                }
            });
            assertTrue(e.getMessage().startsWith("training diverged at iteration "), e.getMessage());
            assertTrue(e.getMessage().endsWith("try a smaller learning rate than 0.001"), e.getMessage());
            assertEquals(e.epoch() - 1, online.iterations(), "the parameters are those before the diverged batch");
        }
    }

    @Test
    void theSeedChoosesTheBatches() {
        double[] a = run(backends.java(), Online.Config.DEFAULT, 3);
        double[] b = run(backends.java(), Online.Config.of(32, 1e-4f, 500, 43), 3);
        assertTrue(a[0] != b[0], "another seed, other batches");
        assertEquals(a[0], run(backends.java(), Online.Config.DEFAULT, 3)[0], 0.0, "the same seed, the same bits");
    }
}
