package org.d2lcl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.ClDevice;


/**
 * The resource soak that {@link ResourceSoakTest} runs in a JVM of its own, with a fixed,
 * pre-touched heap so that resident memory moves only with native memory: creates and closes
 * {@code trainers} trainers (each trains one epoch on the default kernels), runs {@code steps}
 * minibatch steps of the fused kernel ({@link Kernels#FUSED}: one launch per step) in one trainer, and opens and closes {@code backends} backends (context, queue, programs, kernels).
 * Resident memory is first read after a warm-up ({@value #WARM_UP_TRAINERS} trainers, one epoch
 * of the step trainer, three backends), so that what it measures is growth with the work.
 * Prints one line: {@code trainers=... steps=... backends=... rss_before_kib=... rss_after_kib=...
 * leaked_objects=... seconds=...}, where leaked objects are OpenCL objects of the trainers' backend
 * still open after every trainer closed.
 *
 * <p>Arguments: device index, trainers, steps, backends.
 */
public final class ResourceSoak {
    /** Examples of the trainer that runs the steps: 10,000 steps per epoch at batch size 10. */
    static final int STEP_EXAMPLES = 100_000;
    /** Trainers created and closed before resident memory is first read. */
    static final int WARM_UP_TRAINERS = 2_000;

    private ResourceSoak() {
    }

    public static void main(String[] args) throws IOException {
        ClDevice device = ClDevice.all().get(Integer.parseInt(args[0]));
        int trainers = Integer.parseInt(args[1]);
        long steps = Long.parseLong(args[2]);
        int backends = Integer.parseInt(args[3]);
        float[] trueW = {2f, -3.4f};
        Dataset small = D2l.syntheticData(trueW, 4.2f, 20, 1);
        Dataset large = D2l.syntheticData(trueW, 4.2f, STEP_EXAMPLES, 2);
        TrainConfig config = TrainConfig.DEFAULT;
        TrainConfig fused = config.withKernels(Kernels.FUSED);
        int stepsPerEpoch = STEP_EXAMPLES / config.batchSize();

        // Warm-up: every program built, every path compiled by the JIT, and the native allocators'
        // pools grown to their working size (resident memory rises by ~10 MiB over the first
        // ~2,000 trainers on PoCL, then stays flat: a plateau, not a leak).
        openAndClose(device, small, config, 3);
        try (OpenClBackend backend = new OpenClBackend(device)) {
            createAndClose(backend, small, config, WARM_UP_TRAINERS);
            try (Trainer trainer = new Trainer(backend, large, fused)) {
                trainer.epoch();
            }
        }

        long before = rssKib();
        long start = System.nanoTime();
        long stepsRun = 0;
        int leaked;
        try (OpenClBackend backend = new OpenClBackend(device)) {
            createAndClose(backend, small, config, 1);
            createAndClose(backend, small, fused, 1);
            int kept = backend.context().openResources(); // the programs and kernels, for the backend's lifetime
            createAndClose(backend, small, config, trainers - 1);
            try (Trainer trainer = new Trainer(backend, large, fused)) {
                while (stepsRun < steps) {
                    trainer.epoch();
                    stepsRun += stepsPerEpoch;
                }
            }
            leaked = backend.context().openResources() - kept;
        }
        openAndClose(device, small, config, backends);
        long after = rssKib();
        System.out.printf(Locale.ROOT,
                "trainers=%d steps=%d backends=%d rss_before_kib=%d rss_after_kib=%d leaked_objects=%d seconds=%.1f%n",
                trainers, stepsRun, backends, before, after, leaked, (System.nanoTime() - start) / 1e9);
    }

    private static void createAndClose(OpenClBackend backend, Dataset data, TrainConfig config, int count) {
        for (int i = 0; i < count; i++) {
            try (Trainer trainer = new Trainer(backend, data, config)) {
                trainer.epoch();
            }
        }
    }

    private static void openAndClose(ClDevice device, Dataset data, TrainConfig config, int count) {
        for (int i = 0; i < count; i++) {
            try (OpenClBackend backend = new OpenClBackend(device); Trainer trainer = new Trainer(backend, data, config)) {
                trainer.epoch();
            }
        }
    }

    /** {@code VmRSS} from {@code /proc/self/status}, in KiB. */
    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS line in /proc/self/status");
    }
}
