package org.d2lcl.cli;

import java.nio.file.Path;
import java.util.List;
import org.d2lcl.ConfigException;
import org.d2lcl.StreamPlan;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Holdout;
import org.d2lcl.data.Npy;
import org.d2lcl.data.RowSource;
import org.d2lcl.data.Standardization;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;


/** {@code train}'s options for real data: the label column, standardisation and a held-out split. */
final class DataOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--label", paramLabel = "NAME|INDEX",
            description = "With --data: the label column, by header name or 0-based index (default: the last).")
    String label;

    @Option(names = "--standardize",
            description = "Scale each feature to mean 0, std 1 with the training examples' mean and std;"
                    + " both are printed and kept in the saved model.")
    boolean standardize;

    @Option(names = "--holdout", paramLabel = "FRACTION",
            description = "Hold out this fraction of the examples (chosen by --seed) and print their loss each"
                    + " epoch (default: 0, none).")
    double holdout;

    @Option(names = "--device-memory", paramLabel = "BYTES",
            description = "With a .npy --data: the device memory the run may use, e.g. 1G (K, M, G: powers of 1024)."
                    + " Data whose tensors exceed it (or half the Java heap) streams from the file in chunks of whole"
                    + " minibatches, with the same results.")
    String deviceMemory;

    /**
     * The data of one run, split and scaled as the options say; or, for a .npy file streamed from
     * its memory map, only {@code streamed} (no split, no scaling).
     */
    record Prepared(Dataset all, Dataset train, Dataset heldOut, Standardization standardization,
            List<String> featureNames, String labelName, RowSource streamed, RowSource streamedHeldOut) {
        Prepared(Dataset all, Dataset train, Dataset heldOut, Standardization standardization,
                List<String> featureNames, String labelName) {
            this(all, train, heldOut, standardization, featureNames, labelName, null, null);
        }

        /** The examples the run trains on. */
        RowSource source() {
            return streamed != null ? streamed : train;
        }

        /** The held-out examples, or null. */
        RowSource heldOutSource() {
            return streamed != null ? streamedHeldOut : heldOut;
        }
    }

    /** Checks what does not depend on the data. */
    void check(boolean hasDataFile) {
        if (label != null && !hasDataFile) {
            throw new ParameterException(spec.commandLine(), "--label " + label
                    + ": a label column is chosen in a --data file; the synthetic data's label is y");
        }
        if (deviceMemory != null && (!hasDataFile || budget() < 1)) {
            throw new ParameterException(spec.commandLine(), "--device-memory " + deviceMemory + (hasDataFile
                    ? ": must be a number of bytes >= 1, e.g. 1073741824 or 1G (K, M, G: powers of 1024)"
                    : ": a device-memory budget streams a --data FILE.npy; the synthetic data is made on the device"));
        }
        if (!(holdout >= 0 && holdout < 1)) {
            throw new ParameterException(spec.commandLine(), "--holdout " + holdout
                    + ": must be a fraction >= 0 and < 1, e.g. 0.2");
        }
    }

    /**
     * Reads {@code file} once with {@link CsvTable#read} (the rules and messages of {@link org.d2lcl.data.Csv}, the last column the label)
     * and, when {@code --label} names another column, makes that one the label instead.
     */
    Prepared read(Path file, long seed, int batchSize) {
        return read(file, seed, batchSize, false);
    }

    /** {@link #read(Path, long, int)}, a .npy file streamed whatever its size when {@code stream} says so. */
    Prepared read(Path file, long seed, int batchSize, boolean stream) {
        if (Npy.isNpy(file)) {
            // The mapping outlives the file's channel, so a streamed source reads on after the close.
            try (Npy npy = Npy.open(file, 2)) {
                int label = labelColumn(npy);
                if (!stream && !streams(npy, batchSize)) {
                    return prepare(npy.dataset(label), List.of(), null, seed);
                }
                RowSource source = npy.source(label);
                RowSource heldOut = null;
                if (holdout > 0) {
                    int[][] parts;
                    try {
                        parts = Holdout.parts(source.n(), holdout, seed);
                    } catch (ConfigException e) {
                        throw new ParameterException(spec.commandLine(), "--holdout: " + e.getMessage());
                    }
                    heldOut = Holdout.rows(source, parts[1]);
                    source = Holdout.rows(source, parts[0]);
                }
                Standardization scale = standardize ? Standardization.fit(source) : null;
                return scale == null ? new Prepared(null, null, null, null, List.of(), null, source, heldOut)
                        : new Prepared(null, null, null, scale, List.of(), null, scale.apply(source),
                                heldOut == null ? null : scale.apply(heldOut));
            }
        }
        if (deviceMemory != null) {
            throw new ParameterException(spec.commandLine(), "--device-memory " + deviceMemory + ": " + file
                    + " is not a .npy file; a streamed run maps one (d2l-cl convert DATA.csv DATA.npy makes it)");
        }
        // One read of the file, so that a pipe or FIFO (or '-', standard input) works.
        CsvTable table = CsvTable.read(file);
        if (table.columns() < 2) {
            throw new DataException(table.source() + " has " + table.columns()
                    + " column; at least 2 are needed (features and a label)");
        }
        int labelColumn = table.columns() - 1;
        if (label != null) {
            try {
                labelColumn = table.column(label);
            } catch (DataException e) {
                throw new ParameterException(spec.commandLine(), "--label: " + e.getMessage());
            }
        }
        List<String> names = table.names();
        String labelName = names.isEmpty() ? null : names.get(labelColumn);
        List<String> featureNames = table.namesWithout(labelColumn);
        Dataset data = table.dataset(labelColumn);
        return prepare(data, featureNames, labelName, seed);
    }

    /** {@code --device-memory} in bytes; 0 when not given, -1 when it is not a size. */
    long budget() {
        if (deviceMemory == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,18})([KMGT]?)").matcher(
                deviceMemory.strip().toUpperCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        long bytes = Long.parseLong(m.group(1));
        if (m.group(2).isEmpty()) {
            return bytes;
        }
        int shift = 10 * ("KMGT".indexOf(m.group(2)) + 1);
        return bytes > Long.MAX_VALUE >> shift ? -1 : bytes << shift;
    }

    /** Whether a run on {@code npy} streams: its in-memory tensors exceed the budget, or its values half the heap. */
    private boolean streams(Npy npy, int batchSize) {
        long budget = budget();
        long values = npy.rows() * npy.columns() * Float.BYTES;
        return budget > 0 && StreamPlan.inMemoryBytes(npy.rows(), npy.columns() - 1, batchSize) > budget
                || values > Runtime.getRuntime().maxMemory() / 2;
    }

    /**
     * The label column of a .npy file, which has no header: {@code --label} is a 0-based index, the
     * last column by default.
     */
    int labelColumn(Npy npy) {
        int columns = npy.columns();
        if (label == null) {
            return columns - 1;
        }
        int found = CsvTable.find(List.of(), columns, label);
        if (found < 0) {
            throw new ParameterException(spec.commandLine(), "--label " + label + ": " + npy.name()
                    + " is a .npy file, which has no column names, so the label is a 0-based column index, 0 to "
                    + (columns - 1));
        }
        return found;
    }

    /** Splits off the held-out examples, then fits the standardisation on the training ones. */
    Prepared prepare(Dataset all, List<String> featureNames, String labelName, long seed) {
        Dataset train = all;
        Dataset heldOut = null;
        if (holdout > 0) {
            Holdout split;
            try {
                split = Holdout.split(all, holdout, seed);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), "--holdout: " + e.getMessage());
            }
            train = split.train();
            heldOut = split.heldOut();
        }
        Standardization standardization = null;
        if (standardize) {
            standardization = Standardization.fit(train);
            train = standardization.apply(train);
            heldOut = heldOut == null ? null : standardization.apply(heldOut);
        }
        return new Prepared(all, train, heldOut, standardization, featureNames, labelName);
    }
}
