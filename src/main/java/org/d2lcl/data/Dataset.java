package org.d2lcl.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.d2lcl.backend.Reference;

/**
 * A regression dataset on the host: {@code n} examples of {@code d} features, row-major, and one
 * label per example. Every value is finite; the constructor says which row and column is not.
 *
 * <p>The chapter's synthetic data ({@link #ofSynthetic}) remembers what it is drawn from and makes
 * its arrays on first need, once: a trainer draws the same bits straight into its device tensors
 * ({@code Backend.syntheticData}), so a plain run never makes them on the host.
 */
public final class Dataset implements RowSource {
    /** What the chapter's synthetic data is drawn from ({@code D2l.syntheticData}): its true parameters and seed. */
    public record Synthetic(float[] trueW, float trueB, long seed) {
        public Synthetic {
            trueW = trueW.clone(); // the caller's array may change later
        }

        /** The true weights, a copy. */
        @Override
        public float[] trueW() {
            return trueW.clone();
        }
    }

    /** How many synthetic data sets have made their host arrays: a probe for the tests. */
    static final AtomicInteger MATERIALIZATIONS = new AtomicInteger();

    private final Synthetic synthetic; // null for data given as arrays
    private volatile float[] features;
    private volatile float[] labels;
    private final int n;
    private final int d;

    /**
     * @param features {@code n x d} values, row-major (kept, not copied)
     * @param labels {@code n} values (kept, not copied)
     */
    public Dataset(float[] features, float[] labels, int n, int d) {
        java.util.Objects.requireNonNull(features, "features");
        java.util.Objects.requireNonNull(labels, "labels");
        if (n <= 0) {
            throw new DataException("the dataset has " + n + " examples; at least 1 is needed");
        }
        if (d <= 0) {
            throw new DataException("the dataset has " + d + " features; at least 1 is needed");
        }
        if ((long) n * d != features.length) {
            throw new DataException(features.length + " feature values for " + n + " examples of " + d
                    + " features: exactly " + (long) n * d + " are needed");
        }
        if (labels.length != n) {
            throw new DataException(labels.length + " labels for " + n + " examples: one per example is needed");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new DataException("feature " + features[i] + " in row " + (i / d) + ", column " + (i % d)
                        + " (counting from 0): every value must be finite");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(labels[i])) {
                throw new DataException("label " + labels[i] + " in row " + i
                        + " (counting from 0): every value must be finite");
            }
        }
        this.synthetic = null;
        this.features = features;
        this.labels = labels;
        this.n = n;
        this.d = d;
    }

    private Dataset(Synthetic synthetic, int n) {
        this.synthetic = synthetic;
        this.n = n;
        this.d = synthetic.trueW.length;
    }

    /**
     * The synthetic data of {@code spec}, {@code n} examples ({@link Reference#syntheticData}), its
     * arrays made on first need. The caller has checked the spec ({@code D2l.syntheticData}):
     * finite parameters whose labels stay finite, and {@code n * d} below 2^31 - 8.
     */
    public static Dataset ofSynthetic(Synthetic spec, int n) {
        return new Dataset(spec, n);
    }

    /** What this data set is drawn from, if it is the chapter's synthetic data; else null. */
    public Synthetic synthetic() {
        return synthetic;
    }

    /** Whether the host arrays exist: data given as arrays has them, synthetic data once something asked for them. */
    public boolean materialized() {
        return features != null;
    }

    /** Makes the synthetic data's arrays, once; labels are written before features, which publish both. */
    private float[] materialize() {
        float[] x = features;
        if (x == null) {
            synchronized (this) {
                x = features;
                if (x == null) {
                    x = new float[n * d];
                    float[] y = new float[n];
                    Reference.syntheticData(x, y, synthetic.trueW, n, d, synthetic.trueB, synthetic.seed);
                    labels = y;
                    features = x;
                    MATERIALIZATIONS.incrementAndGet();
                }
            }
        }
        return x;
    }

    @Override
    public String name() {
        return "the data set";
    }

    /** The number of examples. */
    @Override
    public int n() {
        return n;
    }

    /** The number of features. */
    @Override
    public int d() {
        return d;
    }

    /** The {@code n x d} features, row-major; the array itself, not a copy (made now if it is not yet). */
    public float[] features() {
        return materialize();
    }

    /** The {@code n} labels; the array itself, not a copy (made now if they are not yet). */
    public float[] labels() {
        materialize();
        return labels;
    }

    private String fingerprint;

    /**
     * SHA-256 of the shape and the exact bits of every value, as 64 hex digits: a checkpoint records
     * it so that a resume on other data is refused. The first call reads all the data (about 0.6
     * GB/s); later calls return the same digest, since a data set is not changed once made.
     */
    public synchronized String fingerprint() {
        if (fingerprint == null) {
            fingerprint = digest();
        }
        return fingerprint;
    }

    private String digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putInt(n).putInt(d);
        sha.update(chunk.array(), 0, chunk.position());
        for (float[] values : new float[][] {features(), labels()}) {
            FloatBuffer floats = chunk.clear().asFloatBuffer();
            for (int start = 0; start < values.length; start += floats.capacity()) {
                int count = Math.min(floats.capacity(), values.length - start);
                floats.clear();
                floats.put(values, start, count);
                sha.update(chunk.array(), 0, count * Float.BYTES);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void gather(int[] order, int from, int count, float[] x, float[] y, int at) {
        float[] features = features();
        float[] labels = labels();
        for (int r = 0; r < count; r++) {
            int i = order == null ? from + r : order[from + r];
            System.arraycopy(features, i * d, x, (at + r) * d, d);
            y[at + r] = labels[i];
        }
    }

    /** Row {@code i}'s features, copied. */
    public float[] row(int i) {
        return Arrays.copyOfRange(features(), i * d, (i + 1) * d);
    }
}
