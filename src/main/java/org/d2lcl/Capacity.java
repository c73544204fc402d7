package org.d2lcl;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.d2lcl.backend.Backend;

/**
 * Whether a {@link Trainer} on {@code n x d} data fits a backend, checked before anything is
 * allocated: each of its tensors within the largest allocation, all of them within the device memory.
 */
public final class Capacity {
    private Capacity() {
    }

    /**
     * @throws org.d2lcl.opencl.DeviceLimitException naming the size, the limit and the device
     */
    public static void check(Backend backend, int n, int d, int batchSize) {
        backend.checkCapacity(floats(n, d, batchSize));
    }

    /** The floats of each tensor a {@link Trainer} on {@code n x d} data makes. */
    static long[] floats(int n, int d, int batchSize) {
        long nd = (long) n * d;
        long bs = batchSize;
        long[] trainer = {
            nd, n,              // features, labels
            d, 1, d, 1,         // w, b, dw, db
            n, n, 1,            // yHat, l (a minibatch's, or all n), lossSum
            n, bs * d, bs};     // the DataIter's permutation and minibatch
        return LongStream.concat(Arrays.stream(trainer), Arrays.stream(Rollback.floats(d))).toArray();
    }
}
