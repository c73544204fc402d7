package org.d2lcl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.TextFiles;


/**
 * The state of a run after an epoch: everything needed to continue it as if it had never stopped.
 * Since an epoch's shuffle depends only on the seed and the epoch ({@link Rng#shuffle}), the
 * random state is the seed and the epoch; the rest is the parameters, the hyper-parameters and a
 * fingerprint of the data (so a resume on other data is refused).
 *
 * <p>The file is text, one {@code key = value} per line, floats written so that they read back
 * to the same bits, and a last line {@code crc32c = ...} over every byte before it:
 *
 * <pre>
 * # d2l-cl checkpoint: linear regression after an epoch; continue with: d2l-cl train --resume FILE
 * format = 1
 * epoch = 1
 * batch_size = 10
 * lr = 0.03
 * seed = 42
 * kernels = epoch
 * examples = 1000
 * features = 2
 * data_sha256 = 5d1c...
 * loss = 0.04360450431704521
 * w = 1.9995021,-3.3988836
 * b = 4.199917
 * device = pthread-... (Portable Computing Language, OpenCL 3.0)
 * crc32c = 8a3f01c2
 * </pre>
 *
 * {@link #write} replaces the file atomically: the new contents go to a temporary file in the same
 * folder, which is flushed to the disk and then renamed over the old one, so the file on disk is
 * always a whole checkpoint, the old or the new. {@link #read} refuses a truncated or corrupt one.
 */
public record Checkpoint(int epoch, int batchSize, float lr, long seed, Kernels kernels, int examples, int features,
        String dataSha256, double loss, float[] w, float b, String device) {
    /** The format {@link #write} writes and {@link #read} reads. */
    public static final int FORMAT = 1;
    /** The largest checkpoint {@link #read} reads: 64 MiB. */
    public static final int MAX_FILE_BYTES = 64 << 20;

    private static final String HEADER =
            "# d2l-cl checkpoint: linear regression after an epoch; continue with: d2l-cl train --resume FILE\n";
    private static final String CRC_KEY = "crc32c = ";

    /**
     * @param epoch epochs finished, >= 0
     * @param kernels the path the epochs ran on: another path continues the run correctly but not
     *     bit for bit
     * @param dataSha256 {@link Dataset#fingerprint()} of the data trained on
     * @param loss the epoch loss after {@code epoch} epochs
     * @param w the weights, one per feature (copied)
     * @param device the backend's {@link org.d2lcl.backend.Backend#description()}, for the reader
     */
    public Checkpoint {
        w = w.clone();
    }

    /** The weights, copied. */
    @Override
    public float[] w() {
        return w.clone();
    }

    /**
     * Whether a checkpoint can hold a run of {@code loss} and {@code optimizer}: the chapter's squared
     * loss and {@code sgd} only (the file has no place for momentum's velocities).
     */
    public static boolean holds(LossFunction loss, Optimizer optimizer) {
        return loss.equals(TrainConfig.CHAPTER_LOSS) && optimizer.equals(Optimizer.sgd());
    }

    /**
     * The state of {@code trainer} after its {@link Trainer#epochsDone()} epochs: reads the
     * parameters (and, the first time, fingerprints the data).
     */
    public static Checkpoint of(Trainer trainer) {
        TrainConfig config = trainer.config();
        if (!holds(config.loss(), config.optimizer())) {
            throw new ConfigException("a checkpoint holds runs of the chapter's squared loss and sgd; this run trains "
                    + config.loss().kind() + " with " + config.optimizer());
        }
        Dataset data = trainer.data;
        double loss = Double.isNaN(trainer.lastLoss) ? trainer.loss() : trainer.lastLoss;
        return new Checkpoint(trainer.epochsDone(), config.batchSize(), config.lr(), config.seed(), config.kernels(),
                data.n(), data.d(), data.fingerprint(), loss, trainer.w(), trainer.b(), trainer.backend().description());
    }

    /**
     * A trainer that continues the run this checkpoint was taken from: the next epoch is epoch
     * {@code epoch() + 1} with that epoch's shuffle, so with the checkpoint's batch size and learning
     * rate the result is bit for bit that of a run that never stopped; others may be given.
     *
     * @throws CheckpointException when the seed or the data differ from the checkpoint's
     */
    public Trainer resume(org.d2lcl.backend.Backend backend, Dataset data, TrainConfig config) {
        checkMatches(data, config);
        return new Trainer(backend, data, config, epoch, w(), b, loss);
    }

    /**
     * Checks that a run with {@code config} on {@code data} can continue from here: the same seed
     * (it drives the remaining shuffles) and the same data, by shape and fingerprint. The batch
     * size and learning rate may differ; the run then continues with the new ones.
     *
     * @return the data's fingerprint
     * @throws CheckpointException saying what differs
     */
    public String checkMatches(Dataset data, TrainConfig config) {
        if (config.seed() != seed) {
            throw new CheckpointException("the checkpoint was taken with seed " + seed + ", this run has seed "
                    + config.seed() + ": the seed drives the remaining epochs' shuffles, so it must be the same");
        }
        String fingerprint = data.fingerprint();
        if (data.n() != examples || data.d() != features || !fingerprint.equals(dataSha256)) {
            throw new CheckpointException("the checkpoint was taken on other data (" + examples + " examples of "
                    + features + " features, sha256 " + dataSha256.substring(0, 12) + "...) than this run's ("
                    + data.n() + " of " + data.d() + ", sha256 " + fingerprint.substring(0, 12)
                    + "...): a run resumes on the data it was trained on");
        }
        return fingerprint;
    }

    /** The file's text, checksum line included. */
    String text() {
        StringBuilder sb = new StringBuilder(HEADER);
        line(sb, "format", Integer.toString(FORMAT));
        line(sb, "epoch", Integer.toString(epoch));
        line(sb, "batch_size", Integer.toString(batchSize));
        line(sb, "lr", Float.toString(lr));
        line(sb, "seed", Long.toString(seed));
        line(sb, "kernels", kernels.toString());
        line(sb, "examples", Integer.toString(examples));
        line(sb, "features", Integer.toString(features));
        line(sb, "data_sha256", dataSha256);
        line(sb, "loss", Double.toString(loss));
        StringBuilder ws = new StringBuilder();
        for (int j = 0; j < w.length; j++) {
            ws.append(j == 0 ? "" : ",").append(w[j]);
        }
        line(sb, "w", ws.toString());
        line(sb, "b", Float.toString(b));
        line(sb, "device", device.replace('\n', ' '));
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        return sb.append(CRC_KEY).append(crc(body, body.length)).append('\n').toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static String crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /**
     * Replaces {@code file} atomically with this checkpoint (see the class comment). The folder
     * must exist.
     *
     * @throws java.io.UncheckedIOException when the file cannot be written; the old one is then untouched
     */
    public void write(Path file) {
        byte[] bytes = text().getBytes(StandardCharsets.UTF_8);
        writeAtomically(file, out -> out.write(bytes));
    }

    /** What goes into the temporary file. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * {@link AtomicFile#write}: a crash at any point leaves either the old file or the new one; on
     * any failure the temporary file is removed and {@code target} is untouched.
     */
    static void writeAtomically(Path target, Content content) {
        try {
            AtomicFile.write(target, content::writeTo);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing checkpoint " + target + ": " + AtomicFile.reason(e), e);
        }
    }

    /**
     * Reads a checkpoint that {@link #write} wrote.
     *
     * @throws CheckpointException naming the file and the problem: missing, unreadable, truncated,
     *     corrupt (checksum), another format, or a value out of range
     */
    public static Checkpoint read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new CheckpointException("checkpoint " + file + " is a folder, not a checkpoint file");
            }
            bytes = TextFiles.readAtMost(file, MAX_FILE_BYTES, "a checkpoint");
        } catch (DataException e) {
            throw new CheckpointException("checkpoint " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint " + file + ": no such file");
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
        return parse(bytes, "checkpoint " + file);
    }

    static Checkpoint parse(byte[] bytes, String name) {
        int end = bytes.length;
        if (end == 0 || bytes[end - 1] != '\n') {
            throw new CheckpointException(name + " is truncated: it does not end with its checksum line"
                    + " (a write was cut short); use an earlier checkpoint or start again");
        }
        int crcLine = end - 1;
        while (crcLine > 0 && bytes[crcLine - 1] != '\n') {
            crcLine--;
        }
        String last = new String(bytes, crcLine, end - 1 - crcLine, StandardCharsets.UTF_8);
        if (!last.startsWith(CRC_KEY)) {
            throw new CheckpointException(name + " is truncated: its last line is not the checksum line"
                    + " (a write was cut short); use an earlier checkpoint or start again");
        }
        String stored = last.substring(CRC_KEY.length()).strip();
        String computed = crc(bytes, crcLine);
        if (!stored.equals(computed)) {
            throw new CheckpointException(name + " is corrupt: its checksum is " + stored + " but its contents give "
                    + computed + "; use an earlier checkpoint or start again");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, crcLine)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(name + " is corrupt: it is not UTF-8 text", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                throw new CheckpointException(name + " is corrupt: line '" + line + "' is not 'key = value'");
            }
            values.put(line.substring(0, eq), line.substring(eq + 3));
        }
        Fields f = new Fields(values, name);
        int format = f.integer("format");
        if (format != FORMAT) {
            throw new CheckpointException(name + " has format " + format + "; this d2l-cl reads format " + FORMAT);
        }
        int epoch = f.integer("epoch");
        int batchSize = f.integer("batch_size");
        float lr = f.float32("lr");
        long seed = f.int64("seed");
        Kernels kernels;
        try {
            kernels = Kernels.parse(f.string("kernels"));
        } catch (ConfigException e) {
            throw new CheckpointException(name + " is corrupt: " + e.getMessage());
        }
        int examples = f.integer("examples");
        int features = f.integer("features");
        String sha = f.string("data_sha256");
        double loss = f.float64("loss");
        String[] ws = f.string("w").split(",");
        float[] w = new float[ws.length];
        for (int j = 0; j < ws.length; j++) {
            w[j] = Fields.parseFloat(ws[j], "w[" + j + "]", name);
        }
        float b = f.float32("b");
        String device = f.string("device");
        f.require(epoch >= 0, "epoch", epoch, ">= 0");
        f.require(batchSize >= 1 && batchSize <= examples, "batch_size", batchSize, "between 1 and examples");
        f.require(lr > 0 && Float.isFinite(lr), "lr", lr, "finite and > 0");
        f.require(examples >= 1, "examples", examples, ">= 1");
        f.require(features >= 1 && features == w.length, "features", features, "the number of weights, " + w.length);
        f.require(sha.matches("[0-9a-f]{64}"), "data_sha256", sha, "64 hex digits");
        for (int j = 0; j < w.length; j++) {
            f.require(Float.isFinite(w[j]), "w[" + j + "]", w[j], "finite");
        }
        f.require(Float.isFinite(b), "b", b, "finite");
        return new Checkpoint(epoch, batchSize, lr, seed, kernels, examples, features, sha, loss, w, b, device);
    }

    /** Typed access to the {@code key = value} lines, failing with the key's name. */
    private record Fields(Map<String, String> values, String name) {
        String string(String key) {
            String value = values.get(key);
            if (value == null) {
                throw new CheckpointException(name + " is corrupt: it has no '" + key + "' line");
            }
            return value;
        }

        int integer(String key) {
            try {
                return Integer.parseInt(string(key));
            } catch (NumberFormatException e) {
                throw bad(key);
            }
        }

        long int64(String key) {
            try {
                return Long.parseLong(string(key));
            } catch (NumberFormatException e) {
                throw bad(key);
            }
        }

        float float32(String key) {
            return parseFloat(string(key), key, name);
        }

        double float64(String key) {
            try {
                return Double.parseDouble(string(key));
            } catch (NumberFormatException e) {
                throw bad(key);
            }
        }

        static float parseFloat(String s, String key, String name) {
            try {
                return Float.parseFloat(s);
            } catch (NumberFormatException e) {
                throw new CheckpointException(name + " is corrupt: " + key + " = '" + s + "' is not a number");
            }
        }

        CheckpointException bad(String key) {
            return new CheckpointException(name + " is corrupt: " + key + " = '" + values.get(key)
                    + "' is not a number");
        }

        void require(boolean ok, String key, Object value, String rule) {
            if (!ok) {
                throw new CheckpointException(name + " is corrupt: " + key + " = " + value + ", it must be " + rule);
            }
        }
    }

    /** Equal when every field is, the weights compared value by value (bitwise, as floats). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && epoch == c.epoch && batchSize == c.batchSize
                && Float.compare(lr, c.lr) == 0 && seed == c.seed && kernels == c.kernels && examples == c.examples
                && features == c.features && dataSha256.equals(c.dataSha256) && Double.compare(loss, c.loss) == 0
                && Arrays.equals(w, c.w) && Float.compare(b, c.b) == 0 && device.equals(c.device);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(epoch, seed, dataSha256, loss, Arrays.hashCode(w), b);
    }

    @Override
    public String toString() {
        return "Checkpoint[epoch " + epoch + ", loss " + loss + ", w " + Arrays.toString(w) + ", b " + b + "]";
    }
}
