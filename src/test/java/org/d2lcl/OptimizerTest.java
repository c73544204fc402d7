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
