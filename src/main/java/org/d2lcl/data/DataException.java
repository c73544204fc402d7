package org.d2lcl.data;

/** Data that cannot be trained on: empty, non-finite, ragged or unreadable. The message says where and why. */
public class DataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
