package org.d2lcl.notebook;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;

/**
 * A JShell session that evaluates notebook cells in this JVM, against the class path it is given
 * (the kernel's: the library, XChart).
 *
 * <p>A cell is read as JShell reads typed input, snippet by snippet, each run before the next is
 * compiled, so a cell may mix imports, methods, classes and statements. The value of a cell is that
 * of its last snippet when that is an expression ({@code chart}, {@code net.w()}), else none (a
 * declaration, a statement, a loop); as in IPython, a semicolon after the expression hides it
 * ({@code System.out.printf(...);} shows no {@code PrintStream}). A snippet that does not compile
 * stops the cell with a {@link CellException} naming its line; one that throws stops it with the
 * exception thrown, as thrown. Every session starts with {@link #PRELUDE}.
 */
public final class Cells implements AutoCloseable {
    /** Defined in every session: {@code display(x)} shows x in the cell's output, as a cell's value is. */
    static final String PRELUDE =
            "void display(Object value) { org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.display(value); }";

    /** The message of a cell ended by {@link #stop()}. */
    static final String INTERRUPTED = "the cell was interrupted";

    private final ValueCapture capture = new ValueCapture();
    private final JShell jshell;
    private final List<DeclarationSnippet> declared = new ArrayList<>();

    /** A session compiling against {@code classPath} (entries separated by the platform's separator). */
    public Cells(String classPath) {
        jshell = JShell.builder().executionEngine(capture.provider(), Map.of()).build();
        jshell.addToClasspath(classPath);
        eval(PRELUDE);
    }

    /**
     * Runs a cell: its value (the last snippet's, when that is an expression; may be null), or null
     * when it has none. What a snippet throws comes out of here as it was thrown.
     *
     * @throws CellException where a snippet does not compile, uses a name defined nowhere, was
     *     interrupted, or threw an {@link Error}
     */
    public Object eval(String cell) {
        Object value = null;
        declared.clear();
        capture.newCell();
        String rest = cell;
        while (!rest.isBlank()) {
            CompletionInfo info = jshell.sourceCodeAnalysis().analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) {
                break;                                          // comments only
            }
            boolean complete = info.completeness().isComplete();
            String source = complete ? info.source() : rest;   // javac names what is missing
            int start = cell.length() - rest.length() + offsetIn(rest, source);
            rest = complete ? info.remaining() : "";
            value = run(source, cell, start, !source.strip().endsWith(";"));   // IPython's rule
        }
        List<DeclarationSnippet> unresolved = declared.stream()
                .filter(snippet -> jshell.status(snippet) != Snippet.Status.VALID && jshell.status(snippet).isActive())
                .collect(Collectors.toList());
        if (!unresolved.isEmpty()) {
            throw unresolved(unresolved.get(0), cell);
        }
        return value;
    }

    private Object run(String source, String cell, int start, boolean shown) {
        capture.reset();
        List<SnippetEvent> events = jshell.eval(source);
        Object value = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;                                       // a dependant recompiled, not this snippet
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw notCompiled(snippet, cell, start);
            }
            if (snippet instanceof DeclarationSnippet declaration) {
                declared.add(declaration);
            }
            if (event.exception() != null) {
                throw failed(event, cell);
            }
            value = switch (snippet.subKind()) {
                case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND -> shown ? capture.value() : null;
                default -> null;
            };
        }
        return value;
    }

    private CellException notCompiled(Snippet snippet, String cell, int start) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag diag : jshell.diagnostics(snippet).collect(Collectors.toList())) {
            if (!diag.isError()) {
                continue;
            }
            int at = start + (int) Math.max(0, diag.getStartPosition());
            String message = "line " + lineOf(cell, at) + ": " + diag.getMessage(Locale.ROOT);
            first = first == null ? message : first;
            lines.addAll(message.lines().collect(Collectors.toList()));
            lines.add("    " + lineText(cell, at));
            lines.add("    " + " ".repeat(columnOf(cell, at)) + "^");
        }
        return new CellException(first == null ? "the snippet was rejected: " + snippet.source() : first, lines);
    }

    /**
     * A method or class of the cell that uses a name defined nowhere (JShell would keep it, to fail
     * when called): refused, and dropped, when the cell ends, so that later snippets of the cell may
     * still define the name.
     */
    private CellException unresolved(DeclarationSnippet snippet, String cell) {
        int at = Math.max(0, cell.indexOf(firstLine(snippet.source())));
        String message = "line " + lineOf(cell, at) + ": " + snippet.name() + " uses what is not defined: "
                + String.join(", ", jshell.unresolvedDependencies(snippet).collect(Collectors.toList()));
        jshell.drop(snippet);
        return new CellException(message, List.of(message, "    " + lineText(cell, at)));
    }

    /** The exception the snippet threw, itself; an {@link Error} is carried by a {@link CellException}. */
    private RuntimeException failed(SnippetEvent event, String cell) {
        Throwable thrown = capture.thrown();
        if (event.exception() instanceof UnresolvedReferenceException unresolved) {
            return unresolved(unresolved.getSnippet(), cell);   // called before the cell's end
        }
        if (thrown instanceof ThreadDeath) {
            return new CellException(INTERRUPTED, List.of(INTERRUPTED));
        }
        if (thrown instanceof Exception exception) {
            return Cells.<RuntimeException>rethrow(exception);
        }
        Throwable cause = thrown != null ? thrown : event.exception();
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        return new CellException(cause.toString(), trace.toString().lines().collect(Collectors.toList()));
    }

    /** Throws a checked exception as it is, unwrapped, so that the notebook names its own class. */
    @SuppressWarnings("unchecked")
    private static <T extends Exception> T rethrow(Exception exception) throws T {
        throw (T) exception;
    }

    /** Ends the running cell, from another thread (the kernel's interrupt); it fails with {@link #INTERRUPTED}. */
    public void stop() {
        capture.stop();
    }

    /** JShell's completions at {@code cursor}, and where the replaced text begins. */
    public Completions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<String> candidates = jshell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor).stream()
                .filter(SourceCodeAnalysis.Suggestion::matchesType)
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            candidates = jshell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor).stream()
                    .map(SourceCodeAnalysis.Suggestion::continuation)
                    .distinct()
                    .collect(Collectors.toList());
        }
        return new Completions(candidates, anchor[0], cursor);
    }

    /** Replacements for the text from {@code start} to {@code end}. */
    public record Completions(List<String> candidates, int start, int end) {
    }

    /** The signatures (and Javadoc, where the class path has sources) of what is at {@code cursor}. */
    public String documentation(String code, int cursor) {
        return jshell.sourceCodeAnalysis().documentation(code, cursor, true).stream()
                .map(doc -> doc.javadoc() == null ? doc.signature() : doc.signature() + "\n" + doc.javadoc())
                .collect(Collectors.joining("\n\n"));
    }

    /** Whether {@code code} is complete as typed, for a console: JShell's own answer. */
    public Completeness completeness(String code) {
        return jshell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
    }

    @Override
    public void close() {
        jshell.close();
    }

    /** Where {@code source} (as JShell read it, perhaps with a semicolon added) begins in {@code rest}. */
    private static int offsetIn(String rest, String source) {
        int at = rest.indexOf(source);
        return at >= 0 ? at : Math.max(0, rest.indexOf(source.substring(0, source.length() - 1)));
    }

    private static String firstLine(String source) {
        return source.strip().lines().findFirst().orElse("");
    }

    private static int lineOf(String cell, int at) {
        return (int) cell.substring(0, Math.min(at, cell.length())).chars().filter(c -> c == '\n').count() + 1;
    }

    private static int columnOf(String cell, int at) {
        int clamped = Math.min(at, cell.length());
        return clamped - (cell.lastIndexOf('\n', clamped - 1) + 1);
    }

    private static String lineText(String cell, int at) {
        int clamped = Math.min(at, cell.length());
        int begin = cell.lastIndexOf('\n', clamped - 1) + 1;
        int end = cell.indexOf('\n', clamped);
        return cell.substring(begin, end < 0 ? cell.length() : end);
    }
}
