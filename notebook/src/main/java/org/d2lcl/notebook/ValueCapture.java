package org.d2lcl.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution in the kernel's own JVM, keeping what JShell itself keeps only as text: the
 * object a snippet evaluated to (a chart to draw, not its {@code toString}) and the exception it
 * threw (its own class, message and stack, not JShell's copy).
 *
 * <p>Snippet classes load through a child of the system class loader, so they share the library's
 * and XChart's classes with the kernel.
 */
final class ValueCapture extends DirectExecutionControl {
    private Object value;
    private Throwable thrown;
    private volatile Thread running;
    private volatile boolean stopped;

    /** A new cell: no stop asked for yet. */
    void newCell() {
        stopped = false;
    }

    /** Forgets the last snippet's value and exception; the next snippet sets them. */
    void reset() {
        value = null;
        thrown = null;
    }

    /** What the last snippet evaluated to: its value for an expression, else null. */
    Object value() {
        return value;
    }

    /** What the last snippet threw, or null. */
    Throwable thrown() {
        return thrown;
    }

    /**
     * Runs the snippet on a thread of its own, which {@link #stop()} can end, and waits for it.
     * The snippet's exception comes out as {@code Method.invoke} gives it, wrapped.
     */
    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread cell = new Thread(() -> {
            try {
                result[0] = doitMethod.invoke(null);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "cell");
        cell.setDaemon(true);
        running = cell;
        try {
            cell.start();
            if (stopped) {
                stop(cell);                                      // asked for before this snippet began
            }
            cell.join();
        } finally {
            running = null;
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new InvocationTargetException(failure[0]);   // stopped between the start and the call
        }
        value = result[0];
        return valueString(value);
    }

    /**
     * Ends the cell: its running snippet, if any, and each one after it as it starts (until
     * {@link #newCell()}). A stopped snippet ends with {@code Thread.stop} where the JDK still has it
     * (up to 19), which throws {@code ThreadDeath} in it wherever it is; else with an interrupt, at
     * its next blocking call.
     */
    @Override
    public void stop() {
        stopped = true;
        Thread cell = running;
        if (cell != null) {
            stop(cell);
        }
    }

    @SuppressWarnings("deprecation")
    private static void stop(Thread cell) {
        try {
            cell.stop();
        } catch (UnsupportedOperationException e) {
            cell.interrupt();
        }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause)
            throws ExecutionControl.RunException, ExecutionControl.InternalException {
        thrown = cause;
        return super.throwConvertedInvocationException(cause);
    }

    /** A provider that hands JShell this one instance. */
    ExecutionControlProvider provider() {
        ValueCapture control = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "d2l-cl";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }
}
