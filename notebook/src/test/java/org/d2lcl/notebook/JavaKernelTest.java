package org.d2lcl.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel without Jupyter: cells evaluated as the notebook sends them, their values rendered as
 * the notebook would show them, and failures raised as the notebook's errors.
 */
class JavaKernelTest {
    private static final List<DisplayData> shown = new ArrayList<>();
    private static JavaKernel kernel;

    @BeforeAll
    static void start() {
        String classPath = System.getProperty("java.class.path");
        kernel = new JavaKernel(new JavaKernel.Builder(classPath), new Cells(classPath)) {
            @Override
            public void display(DisplayData data) {
                shown.add(data);                                // what display(x) sends to the notebook
            }
        };
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static String text(DisplayData data) {
        return (String) data.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void aCellsValueIsItsLastExpressionAndItsStatementsRun() {
        DisplayData out = kernel.eval("int x = 1 + 2;\nint y = x * 7;\ny - 1");
        assertEquals("20", text(out));
        assertEquals("21", text(kernel.eval("y")), "the session keeps the cell's variables");
        assertNull(kernel.eval("int z = y;"), "a declaration shows nothing");
        assertNull(kernel.eval("for (int i = 0; i < 3; i++) { z += i; }"), "a statement shows nothing");
        assertEquals("24", text(kernel.eval("z")));
    }

    @Test
    void aSemicolonAfterTheLastExpressionHidesItsValue() {
        assertNull(kernel.eval("6 * 7;"));
        assertNull(kernel.eval("System.out.printf(\"\");"), "printf's PrintStream is not shown");
        assertEquals("42", text(kernel.eval("6 * 7")));
        assertEquals("3", text(kernel.eval("int three = 3;\nthree")));
    }

    @Test
    void methodsClassesAndImportsLiveAcrossCells() {
        kernel.eval("import java.util.stream.IntStream;\n"
                + "record Pair(int a, int b) { int sum() { return a + b; } }\n"
                + "int square(int v) { return v * v; }");
        assertEquals("30", text(kernel.eval("IntStream.rangeClosed(1, 4).map(v -> square(v)).sum()")));
        assertEquals("7", text(kernel.eval("new Pair(3, 4).sum()")));
    }

    @Test
    void cellsSeeTheLibrary() {
        DisplayData out = kernel.eval("var data = org.d2lcl.D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 10, 42);\n"
                + "data.n() * 100 + data.d()");
        assertEquals("1002", text(out));
    }

    @Test
    void aCellThatDoesNotCompileIsAnErrorNamingItsLine() {
        CellException e = assertThrows(CellException.class,
                () -> kernel.eval("int ok = 1;\nint bad = undefinedThing + 1;\nint never = 2;"));
        assertTrue(e.getMessage().startsWith("line 2: cannot find symbol"), e.getMessage());
        List<String> lines = e.lines();
        assertTrue(lines.contains("    int bad = undefinedThing + 1;"), String.join("\n", lines));
        assertTrue(lines.contains("              ^"), "the caret under the symbol: " + String.join("\n", lines));
        assertFalse(String.join("\n", kernel.formatError(e)).isEmpty());
        assertEquals("1", text(kernel.eval("ok")), "the snippets before the error ran");
        assertThrows(CellException.class, () -> kernel.eval("never"), "the snippets after it did not");
    }

    @Test
    void aCellThatEndsInsideAStatementIsAnError() {
        CellException e = assertThrows(CellException.class, () -> kernel.eval("for (int i = 0; i < 3; i++) {\n"));
        assertTrue(e.getMessage().startsWith("line "), e.getMessage());
    }

    @Test
    void aMethodUsingWhatIsNotDefinedIsAnError() {
        CellException e = assertThrows(CellException.class, () -> kernel.eval("double f() { return notDefined(2); }"));
        assertEquals("line 1: f uses what is not defined: method notDefined(int)", e.getMessage());
        CellException called = assertThrows(CellException.class,
                () -> kernel.eval("int ok = 0;\ndouble g() { return alsoNotDefined(2); }\ng()"));
        assertEquals("line 2: g uses what is not defined: method alsoNotDefined(int)", called.getMessage());
        assertEquals("1.5", text(kernel.eval("double h() { return later(); }\ndouble later() { return 1.5; }\nh()")),
                "a name defined further down the same cell is found");
    }

    @Test
    void anExceptionIsRaisedAsThrownWithItsStackCutAtTheCell() {
        kernel.eval("void check(int v) { if (v < 0) throw new IllegalArgumentException(\"v = \" + v); }");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.eval("check(-3)"));
        assertEquals("v = -3", e.getMessage());
        String trace = JavaKernel.trace(e);
        assertTrue(trace.startsWith("java.lang.IllegalArgumentException: v = -3"), trace);
        assertTrue(trace.contains("at REPL."), "the cell's frames stay: " + trace);
        assertFalse(trace.contains("jdk.jshell") || trace.contains("org.d2lcl.notebook"),
                "JShell's and the kernel's frames are cut: " + trace);
    }

    @Test
    void aCheckedExceptionKeepsItsClass() {
        IOException e = assertThrows(IOException.class, () -> kernel.eval("throw new java.io.IOException(\"disk\");"));
        assertEquals("disk", e.getMessage());
    }

    @Test
    void anErrorIsCarriedByACellException() {
        CellException e = assertThrows(CellException.class, () -> kernel.eval("throw new AssertionError(\"never\");"));
        assertEquals("java.lang.AssertionError: never", e.getMessage());
    }

    @Test
    void anXChartFigureIsAPng() throws IOException {
        DisplayData out = kernel.eval("var chart = new org.knowm.xchart.XYChartBuilder().width(320).height(200)"
                + ".title(\"loss\").build();\n"
                + "chart.addSeries(\"lr 0.03\", new double[] {1, 2, 3}, new double[] {0.03, 1e-4, 5e-5});\n"
                + "chart");
        assertPng(out, 320, 200);
        assertEquals("XYChart \"loss\", 320x200", text(out));
    }

    @Test
    void displayShowsAFigureFromInsideACell() throws IOException {
        shown.clear();
        DisplayData out = kernel.eval("for (int w : new int[] {100, 150}) {\n"
                + "    var c = new org.knowm.xchart.XYChartBuilder().width(w).height(80).build();\n"
                + "    c.addSeries(\"s\", new double[] {0, 1}, new double[] {1, 0});\n"
                + "    display(c);\n"
                + "}");
        assertNull(out, "a loop shows nothing itself");
        assertEquals(2, shown.size());
        assertPng(shown.get(0), 100, 80);
        assertPng(shown.get(1), 150, 80);
    }

    @Test
    void anInterruptEndsTheRunningCellAndTheSessionGoesOn() throws Exception {
        System.clearProperty("cell.running");
        Thread interrupter = new Thread(() -> {
            while (System.getProperty("cell.running") == null) {
                Thread.onSpinWait();
            }
            kernel.interrupt();                                  // as Jupyter's interrupt_request does
        });
        interrupter.start();
        CellException e = assertThrows(CellException.class, () -> kernel.eval("long spins = 0;\n"
                + "while (true) {\n"
                + "    if (++spins == 1000) System.setProperty(\"cell.running\", \"yes\");\n"
                + "}"));
        interrupter.join();
        assertEquals(Cells.INTERRUPTED, e.getMessage());
        assertTrue(Long.parseLong(text(kernel.eval("spins"))) >= 1000, "the loop ran until it was stopped");
        assertEquals("2", text(kernel.eval("1 + 1")));
    }

    @Test
    void completionAndSignaturesAreJShells() {
        var options = kernel.complete("Math.ab", 7);
        assertTrue(options.getReplacements().contains("abs("), options.getReplacements().toString());
        assertEquals(5, options.getSourceStart(), "the replaced text starts after the dot");
        String text = text(kernel.inspect("Math.abs(", 9, false));
        assertTrue(text.contains("int Math.abs(int"), text);
        assertEquals(JavaKernel.IS_COMPLETE_YES, kernel.isComplete("int a = 1;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"), "an open block asks for more");
    }

    @Test
    void theSelfCheckDrawsItsChart() {
        assertEquals("XYChart \"self-check\", 120x80", KernelMain.selfCheck(System.getProperty("java.class.path")));
    }

    private static void assertPng(DisplayData data, int width, int height) throws IOException {
        assertNotNull(data);
        String png = (String) data.getData(MIMEType.IMAGE_PNG);
        assertNotNull(png, "image/png in " + data);
        byte[] bytes = Base64.getMimeDecoder().decode(png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "a PNG that decodes");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
    }
}
