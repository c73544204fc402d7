package org.d2lcl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.d2lcl.D2l;
import org.d2lcl.Kernels;
import org.d2lcl.TrainConfig;
import org.d2lcl.Trainer;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;

/**
 * d2l-cl's side of the peer comparison ({@code bench/peers/peers.py}): the training loop alone,
 * timed as the Python peers time theirs. The data and the trainer are made first; then runs of
 * {@code epochs} epochs (each epoch ends with its loss over the data, as the chapter prints it)
 * repeat, after one untimed run, until {@code budget} seconds are spent (at least two timed runs),
 * and one JSON line gives each run's milliseconds.
 *
 * <pre>java -cp benchmarks.jar org.d2lcl.bench.PeerLoop IMPL N D BATCH EPOCHS LR BUDGET_S</pre>
 *
 * IMPL is {@code epoch}, {@code fused} or {@code unfused} on the default OpenCL device, or
 * {@code java}; the data is {@link TrainBench}'s: the chapter's at {@code 1000x2}, else true w_j =
 * (j mod 5) - 2 + j / (2 D), b = 4.2, seed 42.
 */
public final class PeerLoop {
    private PeerLoop() {
    }

    public static void main(String[] args) {
        String impl = args[0];
        Dataset data = TrainBench.data(args[1] + "x" + args[2]);
        TrainConfig config = new TrainConfig(Integer.parseInt(args[3]), Float.parseFloat(args[5]),
                Integer.parseInt(args[4]), 42);
        double budget = Double.parseDouble(args[6]);
        List<Double> millis = new ArrayList<>();
        try (Backend backend = impl.equals("java") ? new JavaBackend() : new OpenClBackend(BenchSupport.device());
             Trainer trainer = new Trainer(backend, data,
                     impl.equals("java") ? config : config.withKernels(Kernels.parse(impl)))) {
            double spent = 0;
            double loss = 0;
            for (int run = 0; run < 2 || spent < budget; run++) {
                long start = System.nanoTime();
                for (int e = 0; e < config.epochs(); e++) {
                    loss = trainer.epoch();
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (run > 0) {
                    millis.add(ms);
                    spent += ms / 1e3;
                }
            }
            System.out.printf(Locale.ROOT, "{\"loop_ms\": %s, \"loss\": %s}%n", millis, loss);
        }
    }
}
