package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.ConcurrentUseException;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;


/**
 * The threading model: one trainer (and backend) per thread is safe, and threads training at once
 * get exactly what each would alone; one trainer or backend used by two threads at once fails with
 * {@link ConcurrentUseException} before any kernel argument can be overwritten.
 */
class ThreadingTest {
    static final int THREADS = 4;
    /** 1,000 steps per epoch, so that the threads' epochs overlap. */
    static final int EXAMPLES = 10_000;

    /** What a run leaves: the epoch losses and the parameters. */
    record Run(double[] losses, float[] w, float b) {
    }

    static Dataset data(long seed) {
        return D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, EXAMPLES, seed);
    }

    static Run train(ClDevice device, long seed) {
        TrainConfig config = TrainConfig.DEFAULT.withSeed(seed);
        try (Backend backend = new OpenClBackend(device); Trainer trainer = new Trainer(backend, data(seed), config)) {
            double[] losses = new double[config.epochs()];
            for (int e = 0; e < losses.length; e++) {
                losses[e] = trainer.epoch();
            }
            return new Run(losses, trainer.w(), trainer.b());
        }
    }

    @Test
    void fourThreadsTrainingAtOnceEachGetTheSingleThreadedResult() throws Exception {
        ClDevice device = TestDevice.get();
        // A seed per thread: a thread that saw another's buffers would get the other's numbers.
        Run[] alone = new Run[THREADS];
        for (int t = 0; t < THREADS; t++) {
            alone[t] = train(device, 42 + t);
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Run>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = 42 + t;
                runs.add(pool.submit(() -> {
                    start.await();
                    return train(device, seed);
                }));
            }
            for (int t = 0; t < THREADS; t++) {
                Run together = runs.get(t).get(300, TimeUnit.SECONDS);
                String who = "thread " + t + " (seed " + (42 + t) + ")";
                assertArrayEquals(alone[t].losses(), together.losses(), who + ": epoch losses");
                Compare.bitwise(who + ": w", alone[t].w(), together.w(), together.w().length);
                Compare.bitwise(who + ": b", new float[] {alone[t].b()}, new float[] {together.b()}, 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneTrainerUsedByTwoThreadsAtOnceIsRefused() throws Exception {
        try (Backend backend = new OpenClBackend(TestDevice.get());
             Trainer trainer = new Trainer(backend, data(1), TrainConfig.DEFAULT)) {
            String message = collide(trainer::epoch, trainer::b);
            assertTrue(message.startsWith("this Trainer was called from thread '"), message);
            assertTrue(message.contains("is used by one thread at a time; give each thread its own"), message);
        }
    }

    @Test
    void twoTrainersOnOneBackendUsedAtOnceAreRefused() throws Exception {
        try (Backend backend = new OpenClBackend(TestDevice.get());
             Trainer first = new Trainer(backend, data(1), TrainConfig.DEFAULT);
             Trainer second = new Trainer(backend, data(2), TrainConfig.DEFAULT)) {
            String message = collide(first::epoch, second::epoch);
            assertTrue(message.startsWith("this Backend was called from thread '"), message);
        }
    }

    @Test
    void aTrainerHandedToAnotherThreadBetweenCallsCarriesOn() throws Exception {
        ClDevice device = TestDevice.get();
        Run alone = train(device, 42);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Backend backend = new OpenClBackend(device);
             Trainer trainer = new Trainer(backend, data(42), TrainConfig.DEFAULT)) {
            double[] losses = new double[3];
            losses[0] = trainer.epoch();
            losses[1] = other.submit(trainer::epoch).get(300, TimeUnit.SECONDS);
            losses[2] = trainer.epoch();
            assertArrayEquals(alone.losses(), losses);
            Compare.bitwise("w", alone.w(), trainer.w(), alone.w().length);
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * Runs {@code a} in one thread up to 200 times and {@code b} in another until then: they
     * overlap as soon as both run, so one of them must be refused. Returns the refusal's message.
     */
    private static String collide(Runnable a, Runnable b) throws Exception {
        AtomicReference<ConcurrentUseException> refused = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> {
                start.await();
                try {
                    for (int i = 0; i < 200 && !stop.get(); i++) {
                        a.run();
                    }
                } catch (ConcurrentUseException e) {
                    refused.compareAndSet(null, e);
                } finally {
                    stop.set(true);
                }
                return null;
            });
            Future<?> second = pool.submit(() -> {
                start.await();
                try {
                    while (!stop.get()) {
                        b.run();
                    }
                } catch (ConcurrentUseException e) {
                    refused.compareAndSet(null, e);
                } finally {
                    stop.set(true);
                }
                return null;
            });
            first.get(300, TimeUnit.SECONDS);
            second.get(300, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        if (refused.get() == null) {
            fail("two threads used one object at once 200 times over and neither was refused");
        }
        String message = refused.get().getMessage();
        Matcher m = Pattern.compile("this \\w+ was called from thread '(.+)' while thread '(.+)' was inside it: .*")
                .matcher(message);
        assertTrue(m.matches(), message);
        assertNotEquals(m.group(1), m.group(2), "two threads are named: " + message);
        return message;
    }
}
