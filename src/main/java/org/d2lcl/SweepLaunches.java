package org.d2lcl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.Indices;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.Dataset;
import org.d2lcl.opencl.DeviceLimitException;

/**
 * The epoch kernels' side of a {@link Sweep}: runs of one build of the kernel (one loss and one kind
 * of optimizer) trained together, each epoch of all of them one {@link Backend#linregSweep} launch.
 * Per epoch it does for every run what {@link Trainer#epoch()} does on {@link Kernels#EPOCH}: the
 * run's shuffle ({@code Rng.shuffle(seed, epoch)}, uploaded with the others in one write), a copy
 * of the parameters to roll back to, the launch, one read of all the losses; a run whose loss is
 * not finite gets the parameters from before the epoch (read only then) and its step from the
 * status, as {@link Rollback} gives them, and is stepped no more.
 *
 * <p>The data sets are laid one after another in one {@code x} and {@code y}, each once however many
 * runs train on it; the permutations likewise, one per (examples, seed) that shuffles. Where the
 * tensors of all the runs do not fit the device, the runs are halved into batches trained one
 * after another; a run that does not fit alone, or a device that cannot run the sweep kernel with
 * the epoch kernel's geometry, trains through {@link Trainer}.
 */
final class SweepLaunches implements AutoCloseable {
    /** The results of {@link #train}, with the number of batches launched together and of runs trained alone. */
    record Outcome(List<Sweep.Result> results, int launches, int alone) {
    }

    /** A permutation shared by the runs with the same examples and shuffle. */
    private static final class Permutation {
        final int index;
        final int start;
        final boolean shuffle;
        final long seed;
        final int[] order;

        Permutation(int index, int start, int n, boolean shuffle, long seed) {
            this.index = index;
            this.start = start;
            this.shuffle = shuffle;
            this.seed = seed;
            this.order = new int[n];
            if (!shuffle) {
                for (int i = 0; i < n; i++) {
                    order[i] = i; // DataIter.inOrder
                }
            }
        }
    }

    /** The device could not run the sweep kernel with the runs' own geometry: before anything ran. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(DeviceLimitException cause) {
            super(cause);
        }
    }

    private final Backend backend;
    private final List<Sweep.Run> runs;
    private final int d;
    private final int[] row;
    private final Permutation[] permutation;
    private final List<Permutation> permutations = new ArrayList<>();
    private final int[] idxHost;
    private final Resources owned = new Resources();
    private final Tensor x, y, w, b, v, running, lossSum, wSaved, bSaved, vSaved;
    private final Indices idx, status;

    /**
     * Trains {@code runs} (all of one {@link StepRule#buildOptions()}) on {@code backend}, in as few
     * batches as its memory allows.
     */
    static Outcome train(Backend backend, List<Sweep.Run> runs, Function<Sweep.Run, Dataset> data, float[] trueW,
            float trueB) {
        List<Sweep.Result> results = new ArrayList<>();
        int launches = 0;
        int alone = 0;
        Deque<List<Sweep.Run>> todo = new ArrayDeque<>();
        todo.add(runs);
        while (!todo.isEmpty()) {
            List<Sweep.Run> batch = todo.poll();
            if (!fits(backend, batch, data)) {
                if (batch.size() > 1) {
                    todo.addFirst(batch.subList(batch.size() / 2, batch.size()));
                    todo.addFirst(batch.subList(0, batch.size() / 2));
                } else {
                    // The trainer says why it does not fit, naming the device's limit.
                    results.add(Sweep.alone(backend, batch.get(0), data.apply(batch.get(0)), trueW, trueB));
                    alone++;
                }
                continue;
            }
            try (SweepLaunches launch = new SweepLaunches(backend, batch, data)) {
                results.addAll(launch.train(trueW, trueB));
                launches++;
            } catch (Refused e) {
                for (Sweep.Run run : batch) {
                    results.add(Sweep.alone(backend, run, data.apply(run), trueW, trueB));
                }
                alone += batch.size();
            }
        }
        return new Outcome(results, launches, alone);
    }

    /** Whether the tensors of {@code runs} together fit the backend ({@link Backend#checkCapacity}). */
    private static boolean fits(Backend backend, List<Sweep.Run> runs, Function<Sweep.Run, Dataset> data) {
        Map<Dataset, Boolean> seen = new IdentityHashMap<>();
        Map<List<Long>, Boolean> shuffles = new LinkedHashMap<>();
        long rows = 0;
        long indices = 0;
        int d = 0;
        for (Sweep.Run run : runs) {
            Dataset set = data.apply(run);
            d = set.d();
            if (seen.put(set, true) == null) {
                rows += set.n();
            }
            if (shuffles.put(key(run), true) == null) {
                indices += run.examples();
            }
        }
        long r = runs.size();
        boolean momentum = runs.get(0).config().rule().hasVelocity();
        if (rows * d > Integer.MAX_VALUE - 8 || indices > Integer.MAX_VALUE - 8) {
            return false;
        }
        try {
            backend.checkCapacity(rows * d, rows, indices, r * d, r, momentum ? r * (d + 1) : 1, r, r, r, r * d, r,
                    momentum ? r * (d + 1) : 1);
            return true;
        } catch (IllegalArgumentException e) { // DeviceLimitException, or a Java array's limit
            return false;
        }
    }

    /** The runs that share a permutation: the same examples and seed, or the same examples in order. */
    private static List<Long> key(Sweep.Run run) {
        TrainConfig c = run.config();
        return c.shuffle() ? List.of((long) run.examples(), 1L, c.seed()) : List.of((long) run.examples(), 0L);
    }

    private SweepLaunches(Backend backend, List<Sweep.Run> runs, Function<Sweep.Run, Dataset> data) {
        this.backend = backend;
        this.runs = runs;
        int count = runs.size();
        Map<Dataset, Integer> rowOf = new IdentityHashMap<>();
        List<Dataset> sets = new ArrayList<>();
        Map<List<Long>, Permutation> byKey = new LinkedHashMap<>();
        row = new int[count];
        permutation = new Permutation[count];
        int rows = 0;
        int indices = 0;
        for (int k = 0; k < count; k++) {
            Sweep.Run run = runs.get(k);
            Dataset set = data.apply(run);
            Integer at = rowOf.get(set);
            if (at == null) {
                at = rows;
                rowOf.put(set, at);
                sets.add(set);
                rows += set.n();
            }
            row[k] = at;
            Permutation p = byKey.get(key(run));
            if (p == null) {
                p = new Permutation(permutations.size(), indices, run.examples(), run.config().shuffle(),
                        run.config().seed());
                byKey.put(key(run), p);
                permutations.add(p);
                indices += run.examples();
            }
            permutation[k] = p;
        }
        d = sets.get(0).d();
        float[] features = sets.size() == 1 ? sets.get(0).features() : new float[rows * d];
        float[] labels = sets.size() == 1 ? sets.get(0).labels() : new float[rows];
        if (sets.size() > 1) {
            for (Dataset set : sets) {
                int at = rowOf.get(set);
                System.arraycopy(set.features(), 0, features, at * d, set.n() * d);
                System.arraycopy(set.labels(), 0, labels, at, set.n());
            }
        }
        idxHost = new int[indices];
        float[] w0 = new float[count * d];
        for (int k = 0; k < count; k++) {
            System.arraycopy(runs.get(k).config().initialWeights(d), 0, w0, k * d, d);
        }
        boolean momentum = runs.get(0).config().rule().hasVelocity();
        boolean runningLoss = runs.get(0).config().rule().runningLoss();
        try {
            x = owned.own(backend.tensor(features, rows, d));
            y = owned.own(backend.tensor(labels, rows, 1));
            idx = owned.own(backend.indices(indices));
            w = owned.own(backend.tensor(w0, count, d));
            b = owned.own(backend.zeros(count, 1));
            v = momentum ? owned.own(backend.zeros(count, d + 1)) : null;
            running = runningLoss ? owned.own(backend.zeros(count, 1)) : null;
            lossSum = owned.own(backend.zeros(count, 1));
            status = owned.own(backend.indices(count));
            wSaved = owned.own(backend.zeros(count, d));
            bSaved = owned.own(backend.zeros(count, 1));
            vSaved = momentum ? owned.own(backend.zeros(count, d + 1)) : null;
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Every epoch of every run; the results in the order of the runs. */
    private List<Sweep.Result> train(float[] trueW, float trueB) {
        int count = runs.size();
        double[][] losses = new double[count][];
        double[][] batchLosses = new double[count][];
        int[] done = new int[count];
        float[][] wFinal = new float[count][];
        float[] bFinal = new float[count];
        Sweep.Divergence[] diverged = new Sweep.Divergence[count];
        double[] seconds = new double[count];
        boolean[] active = new boolean[count];
        int maxEpochs = 0;
        boolean anyBatchLosses = false;
        for (int k = 0; k < count; k++) {
            TrainConfig c = runs.get(k).config();
            losses[k] = new double[c.epochs()];
            batchLosses[k] = c.batchLosses() ? new double[c.epochs()] : null;
            anyBatchLosses |= c.batchLosses();
            active[k] = c.epochs() > 0;
            maxEpochs = Math.max(maxEpochs, c.epochs());
        }
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            List<RunEpoch> plan = new ArrayList<>();
            boolean[] shuffled = new boolean[permutations.size()];
            for (int k = 0; k < count; k++) {
                if (!active[k]) {
                    continue;
                }
                Permutation p = permutation[k];
                if (p.shuffle && !shuffled[p.index]) {
                    Rng.permutation(p.order, Rng.shuffle(p.seed, epoch)); // DataIter.order
                    shuffled[p.index] = true;
                }
                Sweep.Run run = runs.get(k);
                plan.add(new RunEpoch(k, run.config().rule(), run.examples(), row[k], p.start, epoch == 1));
            }
            if (plan.isEmpty()) {
                break;
            }
            for (Permutation p : permutations) {
                System.arraycopy(p.order, 0, idxHost, p.start, p.order.length);
            }
            backend.write(idx, idxHost);
            backend.copy(wSaved, w); // Rollback.save
            backend.copy(bSaved, b);
            if (v != null) {
                backend.copy(vSaved, v);
            }
            try {
                backend.linregSweep(w, b, v, running, lossSum, status, x, y, idx, plan);
            } catch (DeviceLimitException e) {
                if (epoch == 1) {
                    throw new Refused(e); // before any run took a step: they can run alone
                }
                throw e;
            }
            float[] sums = backend.read(lossSum);
            float[] runningSums = anyBatchLosses ? backend.read(running) : null;
            int[] flags = null;
            float[] wBefore = null;
            float[] bBefore = null;
            double now = (System.nanoTime() - start) / 1e9;
            for (RunEpoch e : plan) {
                int k = e.run();
                TrainConfig c = runs.get(k).config();
                double loss = c.reportedLoss(sums[k], e.n());
                if (Double.isFinite(loss)) {
                    losses[k][done[k]] = loss;
                    if (batchLosses[k] != null) {
                        batchLosses[k][done[k]] = runningSums[k];
                    }
                    done[k]++;
                    if (done[k] == c.epochs()) {
                        active[k] = false;
                        seconds[k] = now;
                    }
                } else { // Trainer.epoch: rolled back to before the epoch, the step read from the status
                    if (flags == null) {
                        flags = backend.read(status);
                        wBefore = backend.read(wSaved);
                        bBefore = backend.read(bSaved);
                    }
                    diverged[k] = new Sweep.Divergence(epoch, flags[k], loss);
                    wFinal[k] = Arrays.copyOfRange(wBefore, k * d, k * d + d);
                    bFinal[k] = bBefore[k];
                    active[k] = false;
                    seconds[k] = now;
                }
            }
        }
        float[] wAll = backend.read(w);
        float[] bAll = backend.read(b);
        List<Sweep.Result> results = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (diverged[k] == null) {
                wFinal[k] = Arrays.copyOfRange(wAll, k * d, k * d + d);
                bFinal[k] = bAll[k];
            }
            results.add(new Sweep.Result(runs.get(k), Arrays.copyOf(losses[k], done[k]),
                    batchLosses[k] == null ? null : Arrays.copyOf(batchLosses[k], done[k]), wFinal[k], bFinal[k],
                    diverged[k], seconds[k], trueW, trueB));
        }
        return results;
    }

    @Override
    public void close() {
        owned.close();
    }
}
