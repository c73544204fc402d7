package org.d2lcl.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.d2lcl.Kernels;
import org.d2lcl.Sweep;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.OpenClBackend;
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
 * Many runs at once against the same runs one after another, on the epoch kernels: one operation
 * trains every run of a sweep from its start. {@code 1000x2} is 64 runs of the chapter (batch 10,
 * 3 epochs; 8 learning rates from 0.03 to 0.065 times 8 seeds, each seed its own data);
 * {@code 1048576x64} is 16 runs of {@code TrainBench}'s large epoch (batch 256, 1 epoch, 16
 * learning rates from 0.015 to 0.045, one data set). {@code sweep} is {@link Sweep#train}: each
 * epoch of all the runs one launch of {@code linreg_sweep.cl}, one work-group per run, the runs on
 * one data set sharing its buffer and its shuffle; {@code sequential} is each run through its own
 * {@link Trainer}, as {@code d2l-cl train} trains it. The results are the same bits
 * ({@code SweepTest}); the ratio of the two times is the throughput the design adds, on this device
 * bounded by its compute units. The data sets are made before timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SweepBench {
    @Param({"sweep", "sequential"})
    public String impl;

    @Param({"1000x2", "1048576x64"})
    public String size;

    private Backend backend;
    private Sweep sweep;
    private List<Sweep.Run> runs;

    static Work work(String size) {
        return Work.run();
    }

    /** The sweep of {@code size}: 64 chapter runs, or 16 runs of the large epoch. */
    static Sweep sweep(String size) {
        if (size.equals("1000x2")) {
            return Sweep.chapter().lr(0.03f, 0.035f, 0.04f, 0.045f, 0.05f, 0.055f, 0.06f, 0.065f)
                    .seed(42, 43, 44, 45, 46, 47, 48, 49);
        }
        int[] nd = BenchSupport.dims(size);
        float[] trueW = new float[nd[1]];
        for (int j = 0; j < trueW.length; j++) {
            trueW[j] = (j % 5) - 2 + 0.5f * j / trueW.length; // TrainBench's
        }
        float[] lr = new float[16];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = 0.015f + 0.002f * i;
        }
        return Sweep.synthetic(trueW, 4.2f, nd[0], new TrainConfig(256, 0.03f, 1, 42, Kernels.EPOCH)).lr(lr);
    }

    @Setup(Level.Trial)
    public void setup() {
        if (!impl.equals("sweep") && !impl.equals("sequential")) {
            throw new IllegalArgumentException("impl " + impl + ": sweep or sequential");
        }
        sweep = sweep(size);
        runs = sweep.runs();
        runs.forEach(run -> sweep.data(run).features()); // made once, on the host, kept by the sweep
        backend = new OpenClBackend(BenchSupport.device());
        double worst = train();
        if (!(worst < (size.equals("1000x2") ? 2e-4 : 1e-3))) {
            throw new IllegalStateException(impl + " " + size + ": a run ends at loss " + worst);
        }
    }

    /** Trains every run; returns the largest final loss (infinite when a run diverged). */
    @Benchmark
    public double sweep() {
        return train();
    }

    private double train() {
        double worst = 0;
        if (impl.equals("sweep")) {
            for (Sweep.Result r : sweep.train(backend).runs()) {
                worst = Math.max(worst, r.diverged() != null ? Double.POSITIVE_INFINITY : r.finalLoss());
            }
            return worst;
        }
        for (Sweep.Run run : runs) {
            try (Trainer trainer = new Trainer(backend, sweep.data(run), run.config())) {
                double loss = Double.NaN;
                for (int e = 0; e < run.config().epochs(); e++) {
                    loss = trainer.epoch();
                }
                worst = Math.max(worst, loss);
            }
        }
        return worst;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }
}
