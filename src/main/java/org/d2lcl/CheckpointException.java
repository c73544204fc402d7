package org.d2lcl;

/**
 * A checkpoint that cannot be used: missing, unreadable, truncated, corrupt (its checksum does not
 * match), or taken with another seed or on other data than the run that resumes it.
 */
public final class CheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
