package org.d2lcl.backend;

/** Operands whose shapes do not fit the operation; the message names the operation, the shapes and the rule. */
public final class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
