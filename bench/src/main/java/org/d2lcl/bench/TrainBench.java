package org.d2lcl.bench;

import java.util.concurrent.TimeUnit;
import org.d2lcl.D2l;
import org.d2lcl.Kernels;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
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
 * Training runs, one operation per run of {@code epochs} epochs (each returning its loss, as the
 * command line prints it): {@code 1000x2} is the chapter's run (true w = [2, -3.4], b = 4.2,
 * batch 10, lr 0.03, 3 epochs) and {@code 1048576x64} a large one (batch 256, lr 0.03, 1 epoch).
 * {@code impl} is the trainer's kernel path on the OpenCL device, or {@code java}: the Java
 * reference backend on its default path. The data and the trainer are made before timing; a run
 * continues from the parameters the previous one left (the work does not depend on them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainBench {
    @Param({"epoch", "fused", "unfused", "java"})
    public String impl;

    @Param({"1000x2", "1048576x64"})
    public String size;

    private Backend backend;
    private Trainer trainer;
    private int epochs;

    static Work work(String size) {
        return Work.run();
    }

    /** The data and hyper-parameters of {@code size}. */
    static Dataset data(String size) {
        int[] nd = BenchSupport.dims(size);
        if (nd[0] == 1000 && nd[1] == 2) {
            return D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
        }
        float[] trueW = new float[nd[1]];
        for (int j = 0; j < trueW.length; j++) {
            trueW[j] = (j % 5) - 2 + 0.5f * j / trueW.length;
        }
        return D2l.syntheticData(trueW, 4.2f, nd[0], 42);
    }

    static TrainConfig config(String size) {
        return size.equals("1000x2") ? TrainConfig.DEFAULT : new TrainConfig(256, 0.03f, 1, 42);
    }

    @Setup(Level.Trial)
    public void setup() {
        TrainConfig config = config(size);
        epochs = config.epochs();
        if (impl.equals("java")) {
            backend = new JavaBackend();
        } else {
            backend = new OpenClBackend(BenchSupport.device());
            config = config.withKernels(Kernels.parse(impl));
        }
        trainer = new Trainer(backend, data(size), config);
        double loss = train();
        if (!(loss < (size.equals("1000x2") ? 2e-4 : 1e-3))) {
            throw new IllegalStateException(impl + " " + size + ": the first run ends at loss " + loss);
        }
    }

    @Benchmark
    public double train() {
        double loss = 0;
        for (int e = 0; e < epochs; e++) {
            loss = trainer.epoch();
        }
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        backend.close();
    }
}
