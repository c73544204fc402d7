package org.d2lcl.notebook;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The notebooks' Jupyter kernel: cells are Java, run by {@link Cells} (JShell in this JVM, against
 * the library and XChart); a cell's value is shown as text, or, for an XChart figure, as a PNG
 * ({@link Figures}). A cell that fails is reported as an error: the exception's class and message,
 * with its stack cut at the cell's own frames, or the compiler's message under the cell's line.
 */
public class JavaKernel extends BaseKernel {
    /** JShell's package for the classes it wraps snippets in: the cell's own frames. */
    private static final String SNIPPET_PACKAGE = "REPL.";

    private final Cells cells;

    JavaKernel(Builder builder, Cells cells) {
        super(builder.name(), builder.version(), new LanguageInfo.Builder("Java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("text/x-java")
                        .build(),
                List.of(), null, builder.io(), builder.comms(), builder.renderer(), null, builder.magics(),
                false, builder.errorStyler());
        this.cells = cells;
        Figures.register(renderer);
    }

    /** A kernel whose cells compile against {@code classPath}. */
    public static JavaKernel create(String classPath) {
        return new Builder(classPath).build();
    }

    @Override
    public Object evalRaw(String source) {
        return cells.eval(source);
    }

    /** A cell's printed lines come before its value or its error. */
    @Override
    public DisplayData eval(String expr) {
        try {
            return super.eval(expr);
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    /**
     * The cell's {@code System.out} and {@code System.err} send whole lines to the notebook, not
     * each piece of a {@code printf}: the notebook file then holds one output per run of lines.
     */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        super.replaceOutputStreams(env);
        System.setOut(new PrintStream(new LineBuffer(io.out), false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new LineBuffer(io.err), false, StandardCharsets.UTF_8));
    }

    /** Jupyter's interrupt (kernel.json's {@code "interrupt_mode": "message"}): the running cell ends. */
    @Override
    public void interrupt() {
        cells.stop();
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String text = cells.documentation(code, at);
        return text.isEmpty() ? null : new DisplayData(text);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Cells.Completions completions = cells.complete(code, at);
        return new ReplacementOptions(completions.candidates(), completions.start(), completions.end());
    }

    @Override
    public String isComplete(String code) {
        Completeness completeness = cells.completeness(code);
        if (completeness.isComplete() || completeness == Completeness.EMPTY) {
            return IS_COMPLETE_YES;
        }
        return completeness == Completeness.UNKNOWN ? IS_COMPLETE_BAD : "    ";
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException cell) {
            return errorStyler.primaryLines(String.join("\n", cell.lines()));
        }
        return errorStyler.secondaryLines(trace(e));
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        closeSession();
    }

    /** Ends the JShell session, for a kernel that never served a notebook (the self-check). */
    void closeSession() {
        cells.close();
    }

    /**
     * The stack trace of what a cell threw, each exception's frames cut after the cell's own last
     * one (JShell's and the kernel's frames below it say nothing about the notebook).
     */
    static String trace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        List<String> lines = new ArrayList<>();
        List<String> block = new ArrayList<>();
        for (String line : text.toString().split("\\R")) {
            String stripped = line.strip();
            if (!stripped.startsWith("at ") && !stripped.startsWith("...")) {
                cutBelowCell(block, lines);                     // a heading: "Caused by: ..." and the like
            }
            block.add(line);
        }
        cutBelowCell(block, lines);
        return String.join("\n", lines);
    }

    private static void cutBelowCell(List<String> block, List<String> lines) {
        int last = -1;
        for (int i = 0; i < block.size(); i++) {
            if (block.get(i).strip().startsWith("at " + SNIPPET_PACKAGE)) {
                last = i;
            }
        }
        lines.addAll(last < 0 ? block : block.subList(0, last + 1));
        block.clear();
    }

    /** jjava-jupyter's defaults for the kernel's streams, comms, renderer and error colours. */
    static final class Builder extends BaseKernelBuilder<Builder, JavaKernel> {
        private final String classPath;

        Builder(String classPath) {
            this.classPath = classPath;
            name("d2l-cl");
        }

        @Override
        public JavaKernel build() {
            return new JavaKernel(this, new Cells(classPath));
        }

        String name() {
            return buildName();
        }

        String version() {
            return buildVersion();
        }

        JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        CommManager comms() {
            return buildCommManager();
        }

        Renderer renderer() {
            return buildRenderer();
        }

        MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        StringStyler errorStyler() {
            return buildErrorStyler();
        }
    }
}
