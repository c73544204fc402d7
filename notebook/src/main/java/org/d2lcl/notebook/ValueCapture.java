package org.d2lcl.notebook;

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

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        value = doitMethod.invoke(null);
        return valueString(value);
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
