package org.d2lcl.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.d2lcl.Device;
import org.d2lcl.LinearModel;
import org.d2lcl.backend.Backends;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.DataException;
import org.d2lcl.data.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;


/**
 * {@code d2l-cl predict}: a saved model's predictions for every row of a CSV file, as CSV, one
 * {@code prediction} per row in the file's order.
 */
@Command(name = "predict", sortOptions = false,
        description = "Predict with a model saved by 'train --save-model', for every row of a CSV file.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE.csv|FILE.npy", required = true,
            description = "The rows to predict for. A .npy file holds exactly the features, in training order. With a header, the model's features are found by name (other"
                    + " columns, such as the label, are ignored); without one, the file holds exactly the features,"
                    + " in training order.")
    Path data;

    @Option(names = "--out", paramLabel = "FILE.csv",
            description = "Where to write the predictions (default: standard output).")
    Path outFile;

    @Option(names = "--device", paramLabel = "DEV",
            description = "Device index or name substring (see 'devices'), or 'java'. Default: $D2LCL_DEVICE,"
                    + " else the first GPU, else the first CPU device.")
    String device;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (outFile != null) {
            String problem = AtomicFile.problem(outFile);
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), "--out " + outFile + ": " + problem);
            }
        }
        LinearModel m = LinearModel.load(model);
        PrintWriter err = spec.commandLine().getErr();
        if (Npy.isNpy(data)) {
            try (Npy npy = Npy.open(data, 1)) {
                if (npy.columns() != m.d()) {
                    throw new DataException(npy.name() + " has " + npy.columns() + " columns; the model takes " + m.d()
                            + " features: a .npy file holds exactly those columns, in training order");
                }
                try (Device dev = Device.of(Backends.open(device, err::println))) {
                    output(w -> predictStreamed(w, m, dev, npy));
                }
            }
            return 0;
        }
        CsvTable table = CsvTable.read(data);
        float[] features = table.select(m.featureColumns(table));
        float[] predictions;
        try (Device dev = Device.of(Backends.open(device, err::println))) {
            predictions = m.predict(dev, features, table.rows());
        }
        output(w -> write(w, predictions));
        return 0;
    }

    /** What writes the predictions. */
    private interface Predictions {
        void writeTo(Writer w) throws IOException;
    }

    /** Writes the predictions to standard output, or atomically to {@code --out}. */
    private void output(Predictions predictions) {
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            try {
                predictions.writeTo(out);
            } catch (IOException e) {
                throw new StandardOutput.Failed(e.getMessage());
            }
            StandardOutput.check(out);
            return;
        }
        try {
            AtomicFile.write(outFile, stream -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                predictions.writeTo(w);
                w.flush();
            });
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--out " + outFile + ": the predictions cannot be"
                    + " written (" + AtomicFile.reason(e) + "); a file already there is untouched");
        }
    }

    /** Rows of a .npy file predicted at a time: its values are read from the map chunk by chunk. */
    static final int CHUNK_ROWS = 1 << 16;

    /**
     * The predictions for every row of {@code npy}, chunk by chunk, so that neither the heap nor the
     * device holds the file: each row's prediction is the same bits as in one launch over all rows.
     */
    private static void predictStreamed(Writer w, LinearModel m, Device dev, Npy npy) throws IOException {
        w.write("prediction\n");
        for (long start = 0; start < npy.rows(); start += CHUNK_ROWS) {
            int rows = (int) Math.min(CHUNK_ROWS, npy.rows() - start);
            float[] features = new float[rows * npy.columns()];
            for (int r = 0; r < rows; r++) {
                npy.row(start + r, features, r * npy.columns());
            }
            for (float p : m.predict(dev, features, rows)) {
                w.write(Float.toString(p));
                w.write('\n');
            }
        }
        w.flush();
    }

    /** A header, then each prediction in its shortest exact decimal form. */
    static void write(Writer w, float[] predictions) throws IOException {
        w.write("prediction\n");
        for (float p : predictions) {
            w.write(Float.toString(p));
            w.write('\n');
        }
        w.flush();
    }
}
