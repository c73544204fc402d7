package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Optimizer}: PyTorch's names, the divisor the kernels get, and the hyper-parameter checks. */
class OptimizerTest {
    @Test
    void factoriesSayWhatTheyAre() {
        assertEquals("sgd", Optimizer.sgd().toString());
        assertEquals("sgd-nodiv", Optimizer.sgdNoDiv().toString());
        assertEquals("momentum:0.9", Optimizer.momentum(0.9f).toString());
        assertEquals("momentum-nodiv:0.9+clip:1.0", Optimizer.momentumNoDiv(0.9f).withClipGradNorm(1f).toString());
        assertEquals(Optimizer.Kind.MOMENTUM, Optimizer.momentum(0.5f).kind());
        assertTrue(Optimizer.sgd().withClipGradNorm(2f).clips());
        assertFalse(Optimizer.sgd().clips());
    }

    /** The command line's names, read back by {@link Optimizer#named} and {@link LossFunction#named} for any caller. */
    @Test
    void namesAreReadBack() {
        for (Optimizer o : new Optimizer[] {Optimizer.sgd(), Optimizer.sgdNoDiv(), Optimizer.momentum(0.8f),
                Optimizer.momentumNoDiv(0.5f)}) {
            assertEquals(o, Optimizer.named(o.toString()), o.toString());
        }
        assertEquals(Optimizer.momentum(0.9f), Optimizer.named(" Momentum "));
        for (LossFunction l : new LossFunction[] {TrainConfig.CHAPTER_LOSS, LossFunction.mseLoss(),
                LossFunction.mseLoss(LossFunction.Reduction.SUM), LossFunction.l1Loss(),
                LossFunction.l1Loss(LossFunction.Reduction.SUM), LossFunction.huberLoss(0.5f),
                LossFunction.huberLoss(2f, LossFunction.Reduction.SUM)}) {
            assertEquals(l, LossFunction.named(l.toString()), l.toString());
        }
        assertEquals(LossFunction.huberLoss(), LossFunction.named("huber"));
        assertEquals("'x' is not a number", assertThrows(ConfigException.class, () -> Optimizer.named("momentum:x"))
                .getMessage());
        assertEquals("only huber takes a threshold (huber:DELTA)",
                assertThrows(ConfigException.class, () -> LossFunction.named("l1:2")).getMessage());
        assertEquals("the threshold must be a finite number > 0",
                assertThrows(ConfigException.class, () -> LossFunction.named("huber:-1")).getMessage());
    }

    @Test
    void divisorIsTheBatchSizeOrOne() {
        assertEquals(10, Optimizer.sgd().divisor(10));
        assertEquals(1, Optimizer.sgdNoDiv().divisor(10));
        assertEquals(10, Optimizer.momentum(0.9f).divisor(10));
        assertEquals(1, Optimizer.momentumNoDiv(0.9f).divisor(10));
    }

    @Test
    void badHyperParametersAreRefused() {
        assertThrows(ConfigException.class, () -> Optimizer.momentum(1f));
        assertThrows(ConfigException.class, () -> Optimizer.momentum(-0.1f));
        assertThrows(ConfigException.class, () -> Optimizer.momentum(Float.NaN));
        assertThrows(ConfigException.class, () -> new Optimizer(Optimizer.Kind.SGD, true, 0.9f, 0f));
        assertThrows(ConfigException.class, () -> new Optimizer(null, true, 0f, 0f));
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThrows(ConfigException.class, () -> Optimizer.sgd().withClipGradNorm(bad), "max_norm " + bad);
        }
    }
}
