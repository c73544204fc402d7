package org.d2lcl.notebook;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * The kernel's entry point, as kernel.json starts it: {@code java -jar d2l-cl-kernel.jar CONNECTION_FILE},
 * the file Jupyter writes with the ports and the signing key. Cells compile against this JVM's class path.
 *
 * <p>{@code java -jar d2l-cl-kernel.jar --self-check} runs one cell that uses the library and draws a
 * chart, with no Jupyter, and prints the chart's line of text: the launcher runs it once to record
 * the classes a kernel loads (a class-data-sharing archive), so that kernels start sooner.
 */
public final class KernelMain {
    /** The cell {@code --self-check} runs: the library, JShell's compiler, a chart drawn as a PNG. */
    static final String SELF_CHECK_CELL = "import org.knowm.xchart.*;\n"
            + "var data = org.d2lcl.D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 10, 42);\n"
            + "var chart = new XYChartBuilder().width(120).height(80).title(\"self-check\").build();\n"
            + "chart.addSeries(\"labels\", new double[] {0, 1}, new double[] {data.labels()[0], data.labels()[1]});\n"
            + "chart";

    private KernelMain() {
    }

    /** Serves one notebook until Jupyter shuts the kernel down; or, with {@code --self-check}, runs one cell. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("d2l-cl-kernel: expected one argument, the connection file Jupyter writes"
                    + " (or --self-check); got " + args.length);
            System.exit(2);
        }
        if (args[0].equals("--self-check")) {
            System.out.println(selfCheck(System.getProperty("java.class.path")));
            System.exit(0);
        }
        String connection;
        try {
            connection = Files.readString(Path.of(args[0]));
        } catch (NoSuchFileException e) {
            System.err.println("d2l-cl-kernel: connection file '" + args[0] + "' not found");
            System.exit(2);
            return;
        }
        JupyterConnection jupyter = new JupyterConnection(KernelConnectionProperties.parse(connection));
        JavaKernel kernel = JavaKernel.create(System.getProperty("java.class.path"));
        kernel.onStartup();
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
    }

    /** {@link #SELF_CHECK_CELL}'s value as the notebook would show it in text, on a kernel of its own. */
    static String selfCheck(String classPath) {
        JavaKernel kernel = JavaKernel.create(classPath);
        try {
            var shown = kernel.eval(SELF_CHECK_CELL);
            if (shown == null || !shown.hasDataForType(MIMEType.IMAGE_PNG)) {
                throw new IllegalStateException("the self-check's chart was not drawn as a PNG: " + shown);
            }
            return (String) shown.getData(MIMEType.TEXT_PLAIN);
        } finally {
            kernel.closeSession();
        }
    }
}
