package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.d2lcl.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


class HoldoutTest {

    /** Example i has features (i, 1000 + i) and label i, so each row says which it was. */
    private static Dataset numbered(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 1000 + i;
            y[i] = i;
        }
        return new Dataset(x, y, n, 2);
    }

    @ParameterizedTest(name = "n = {0}, fraction {1}: {2} held out")
    @CsvSource({"442, 0.2, 88", "1000, 0.1, 100", "2, 0.5, 1", "10, 0.05, 1", "10, 0.9, 9", "7, 0.3, 2"})
    void holdsOutRoundedFractionAndKeepsEveryRowOnce(int n, double fraction, int held) {
        Holdout h = Holdout.split(numbered(n), fraction, 42);
        assertEquals(held, h.heldOut().n());
        assertEquals(n - held, h.train().n());
        float[] all = new float[n];
        System.arraycopy(h.train().labels(), 0, all, 0, n - held);
        System.arraycopy(h.heldOut().labels(), 0, all, n - held, held);
        Arrays.sort(all);
        for (int i = 0; i < n; i++) {
            assertEquals(i, all[i], "every example lands in exactly one part");
        }
        for (Dataset part : new Dataset[] {h.train(), h.heldOut()}) {
            for (int k = 0; k < part.n(); k++) {
                float label = part.labels()[k];
                assertArrayEquals(new float[] {label, 1000 + label}, part.row(k), "row " + k + " keeps its features");
                assertTrue(k == 0 || part.labels()[k - 1] < label, "rows keep their original order");
            }
        }
    }

    @Test
    void theSplitDependsOnlyOnTheSeed() {
        Dataset data = numbered(100);
        assertArrayEquals(Holdout.split(data, 0.2, 7).heldOut().labels(),
                Holdout.split(data, 0.2, 7).heldOut().labels());
        assertFalse(Arrays.equals(Holdout.split(data, 0.2, 7).heldOut().labels(),
                Holdout.split(data, 0.2, 8).heldOut().labels()), "another seed holds out other rows");
    }

    @Test
    void fractionsThatLeaveAPartEmptyAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> Holdout.split(numbered(10), 0.01, 1));
        // round(0.1) = 0 examples
        assertTrue(e.getMessage().startsWith("holdout 0.01 of 10 examples holds out 0"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Holdout.split(numbered(10), 1.0, 1));
        assertEquals("holdout 1.0: the held-out fraction must be between 0 and 1, exclusive", e.getMessage());
        assertThrows(ConfigException.class, () -> Holdout.split(numbered(10), Double.NaN, 1));
        assertThrows(ConfigException.class, () -> Holdout.split(numbered(1), 0.5, 1));
    }
}
