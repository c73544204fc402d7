package org.d2lcl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.d2lcl.EpochRun;
import org.d2lcl.Kernels;
import org.d2lcl.StreamPlan;
import org.d2lcl.StreamedTrainer;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Npy;
import org.d2lcl.data.NpyWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One epoch on data that fits the device, two ways: {@code memory}, the {@link Trainer} with the
 * data uploaded once, and {@code streamed}, the {@link StreamedTrainer} reading the same rows from
 * a memory-mapped {@code .npy} file in chunks of {@code chunk} rows each epoch (the permutation's
 * gather on the host, the upload, the steps, then the loss's pass in the data's order), each on the
 * fused step ({@code memory}, {@code streamed}) and on the epoch kernel ({@code memory-epoch}: one
 * launch per epoch; {@code streamed-epoch}: a launch of its steps per chunk, then of its loss per
 * chunk), batch 256, lr 0.03. Streamed and in memory give the same bits: setup checks the
 * parameters and the loss after the first epoch. The file is written to a temporary
 * folder before timing and deleted afterwards; the page cache holds it, as it would a file trained
 * on repeatedly. {@code BenchTable}'s target: streamed within 1.3x of memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamBench {
    @Param({"memory", "streamed", "memory-epoch", "streamed-epoch"})
    public String impl;

    @Param({"1048576x64", "4194304x64"})
    public String size;

    /** Rows per chunk of the streamed run: 2^16 rows of 64 features are 16.25 MiB. */
    @Param({"65536"})
    public int chunk;

    private Path dir;
    private Npy npy;
    private Backend backend;
    private EpochRun run;

    static Work work(String size) {
        return Work.run();
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        int[] nd = BenchSupport.dims(size);
        int n = nd[0], d = nd[1];
        dir = Files.createTempDirectory("stream-bench");
        Path file = dir.resolve("data.npy");
        Dataset synthetic = TrainBench.data(size);
        NpyWriter.write(file, d + 1, out -> {
            for (int i = 0; i < n; i++) {
                for (float v : synthetic.row(i)) {
                    out.add(v);
                }
                out.add(synthetic.labels()[i]);
            }
        });
        npy = Npy.open(file, 2);
        backend = new OpenClBackend(BenchSupport.device());
        TrainConfig config = new TrainConfig(256, 0.03f, 1, 42, impl.endsWith("-epoch") ? Kernels.EPOCH : Kernels.FUSED);
        run = impl.startsWith("memory") ? new Trainer(backend, synthetic, config)
                : new StreamedTrainer(backend, npy.source(d), config, new StreamPlan(chunk));
        double loss = run.epoch();
        try (Trainer check = new Trainer(backend, synthetic, config)) {
            double expected = check.epoch();
            if (!Arrays.equals(check.w(), run.w()) || Float.compare(check.b(), run.b()) != 0
                    || Double.compare(expected, loss) != 0) {
                throw new IllegalStateException(impl + " " + size + ": the first epoch's parameters or loss differ from the"
                        + " in-memory run's");
            }
        }
    }

    @Benchmark
    public double stream() {
        return run.epoch();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
        backend.close();
        npy.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
