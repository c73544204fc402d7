package org.d2lcl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.data.NpyWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code d2l-cl convert DATA.csv DATA.npy}: parses a CSV file once and writes its values as a
 * float32 {@code .npy} file, streaming, in constant memory, so that later runs map the file instead
 * of parsing it.
 */
@Command(name = "convert", description = "Convert a CSV file of numbers to a float32 .npy file (streaming;"
        + " a header line is dropped: choose the label of the .npy by its 0-based index).")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The CSV file (gzip is read too; - is standard input).")
    Path csv;

    @Parameters(index = "1", paramLabel = "DATA.npy", description = "The .npy file to write (replaced atomically).")
    Path npy;

    @Override
    public Integer call() {
        if (!npy.getFileName().toString().endsWith(".npy")) {
            throw new ParameterException(spec.commandLine(), npy + ": the output's name must end in .npy");
        }
        String problem = AtomicFile.problem(npy);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), npy + ": " + problem);
        }
        long[] shape = NpyWriter.fromCsv(csv, npy);
        spec.commandLine().getOut().println(npy + ": " + shape[0] + " rows x " + shape[1] + " columns, float32");
        return 0;
    }
}
