package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.d2lcl.D2l;
import org.d2lcl.backend.Reference;
import org.d2lcl.cli.Main;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * The synthetic data set makes its host arrays on first need, once, whatever the threads; a plain
 * {@code d2l-cl train} on OpenCL never needs them (the device draws the data), and a run that does
 * need them (a held-out split) makes them: the probe ({@link Dataset#MATERIALIZATIONS}) can tell.
 */
class SyntheticDatasetTest {
    @Test
    void aPlainTrainOnOpenClMakesNoHostArrays() {
        int before = Dataset.MATERIALIZATIONS.get();
        train("--examples", "3000", "--epochs", "2");
        assertEquals(before, Dataset.MATERIALIZATIONS.get(), "a plain train made the synthetic data's host arrays");
        train("--examples", "3000", "--epochs", "2", "--holdout", "0.1");
        assertEquals(before + 1, Dataset.MATERIALIZATIONS.get(), "a held-out split needs the host arrays, once");
    }

    private static void train(String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--device", Integer.toString(TestDevice.get().index())));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(args.toArray(String[]::new), o, e);
        }
        assertEquals(0, exit, args + ":\n" + out + err);
    }

    @Test
    void theArraysAreMadeOnceFromManyThreadsWithTheReferencesBits() throws Exception {
        float[] trueW = {2f, -3.4f, 0.5f};
        int n = 20_000;
        Dataset data = D2l.syntheticData(trueW, 4.2f, n, 99);
        assertFalse(data.materialized());
        assertEquals(n, data.n());
        assertEquals(3, data.d());
        int before = Dataset.MATERIALIZATIONS.get();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<float[][]>> got = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                boolean labelsFirst = t % 2 == 0;
                got.add(pool.submit(() -> {
                    start.await();
                    float[] y = labelsFirst ? data.labels() : null;
                    float[] x = data.features();
                    return new float[][] {x, y == null ? data.labels() : y};
                }));
            }
            start.countDown();
            float[][] first = got.get(0).get();
            for (Future<float[][]> f : got) {
                float[][] arrays = f.get();
                assertSame(first[0], arrays[0], "one features array for every thread");
                assertSame(first[1], arrays[1], "one labels array for every thread");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 1, Dataset.MATERIALIZATIONS.get(), "made once");
        assertTrue(data.materialized());
        float[] x = new float[n * 3];
        float[] y = new float[n];
        Reference.syntheticData(x, y, trueW, n, 3, 4.2f, 99);
        assertArrayEquals(x, data.features());
        assertArrayEquals(y, data.labels());
        assertEquals(new Dataset(x, y, n, 3).fingerprint(), data.fingerprint(), "the digest of the same bits");
    }

    @Test
    void theSpecIsACopy() {
        float[] trueW = {2f, -3.4f};
        Dataset data = D2l.syntheticData(trueW, 4.2f, 10, 1);
        trueW[0] = 100f;
        assertEquals(2f, data.synthetic().trueW()[0], "the caller's array changed after the call");
        data.synthetic().trueW()[1] = 100f;
        assertEquals(-3.4f, data.synthetic().trueW()[1], "a reader's copy changed");
        assertEquals(4.2f, data.synthetic().trueB());
        assertEquals(1L, data.synthetic().seed());
        assertEquals(null, new Dataset(new float[] {1f}, new float[] {2f}, 1, 1).synthetic());
    }
}
