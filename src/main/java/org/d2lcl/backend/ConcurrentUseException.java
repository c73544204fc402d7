package org.d2lcl.backend;

/**
 * A {@link org.d2lcl.Trainer} or {@link Backend} called from one thread while another thread is
 * inside it. Each is used by one thread at a time; give each thread its own.
 */
public final class ConcurrentUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUseException(String message) {
        super(message);
    }
}
