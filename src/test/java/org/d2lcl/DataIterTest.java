package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.Tensor;
import org.d2lcl.testing.BackendExtension;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code data_iter}: every example exactly once per epoch, in minibatches of the batch size and a
 * last smaller one when it does not divide n, each row with its own label; the order is drawn
 * from (seed, epoch) alone and is the same on both backends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataIterTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{23, 5}, {1000, 10}, {1000, 7}, {10, 1}, {10, 10}, {1, 1}, {4099, 256}};
        for (Named<Backend> b : backends.both().toList()) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(b, s[0], s[1]));
            }
        }
        return cases.stream();
    }

    /** Example i has features (i, -i / 2) and label i + 0.25: every value exact in float, each row telling its label. */
    @ParameterizedTest(name = "{0}: n = {1}, batch size {2}")
    @MethodSource("cases")
    void everyExampleOncePerEpochLastBatchKept(Backend b, int n, int batchSize) {
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i / 2f;
            y[i] = i + 0.25f;
        }
        try (Tensor features = b.tensor(x, n, 2); Tensor labels = b.tensor(y, n, 1);
             DataIter iter = new DataIter(batchSize, features, labels)) {
            int batches = (n + batchSize - 1) / batchSize;
            assertEquals(batches, iter.batches(), "ceil(n / batch size)");
            int[] previous = null;
            for (int epoch = 1; epoch <= 3; epoch++) {
                int[] seen = new int[n];
                int[] order = new int[n];
                int k = 0;
                int count = 0;
                for (Batch batch : iter.shuffle(Rng.shuffle(42, epoch))) {
                    int expectedSize = count < batches - 1 ? batchSize : n - (batches - 1) * batchSize;
                    assertEquals(expectedSize, batch.size(), "size of batch " + count + " in epoch " + epoch);
                    assertEquals(count * batchSize, batch.start(), "start of batch " + count);
                    float[] xb = b.read(batch.x());
                    float[] yb = b.read(batch.y());
                    assertEquals(batch.size() * 2, xb.length);
                    assertEquals(batch.size(), yb.length);
                    for (int r = 0; r < batch.size(); r++) {
                        int i = (int) xb[2 * r];
                        assertEquals(-i / 2f, xb[2 * r + 1], "row " + r + " of batch " + count + " is example " + i);
                        assertEquals(i + 0.25f, yb[r], "the label of example " + i + " travels with it");
                        seen[i]++;
                        order[k++] = i;
                    }
                    count++;
                }
                assertEquals(batches, count, "batches in epoch " + epoch);
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen[i], "example " + i + " seen " + seen[i] + " times in epoch " + epoch);
                }
                if (previous != null && n > 3) {
                    assertFalse(Arrays.equals(previous, order), "epoch " + epoch + " repeats the previous order");
                }
                previous = order;
            }
        }
    }

    /** The order depends on (seed, epoch) only: the two backends, and two iterators, see the same one. */
    @Test
    void orderIsTheSameOnBothBackends() {
        int n = 257;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = -i;
        }
        float[][] orders = new float[3][];
        Backend[] each = {backends.openCl(), backends.java(), backends.java()};
        for (int k = 0; k < each.length; k++) {
            Backend b = each[k];
            try (Tensor features = b.tensor(x, n, 1); Tensor labels = b.tensor(y, n, 1);
                 DataIter iter = new DataIter(10, features, labels)) {
                iter.shuffle(Rng.shuffle(42, 1));
                float[] order = new float[n];
                int at = 0;
                for (Batch batch : iter.shuffle(Rng.shuffle(42, 2))) {
                    float[] xb = b.read(batch.x());
                    System.arraycopy(xb, 0, order, at, xb.length);
                    at += xb.length;
                }
                orders[k] = order;
            }
        }
        assertArrayEquals(orders[1], orders[0], "epoch 2's order on OpenCL and on Java");
        assertArrayEquals(orders[1], orders[2], "epoch 2's order does not depend on the epochs before it");
    }

    @Test
    void refusesBatchSizesOutsideOneToN() {
        JavaBackend java = backends.java();
        try (Tensor features = java.zeros(5, 2); Tensor labels = java.zeros(5, 1); Tensor short4 = java.zeros(4, 1)) {
            for (int bad : new int[] {0, -1, 6}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new DataIter(bad, features, labels));
                assertTrue(e.getMessage().contains("batch size " + bad) && e.getMessage().contains("n = 5"),
                        e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DataIter(2, features, short4));
            assertTrue(e.getMessage().contains("labels 4x1") && e.getMessage().contains("5x2"), e.getMessage());
        }
    }
}
