package org.d2lcl.backend;

/**
 * A point in a backend's work: every operation enqueued before a {@link Backend#marker()}. On
 * OpenCL an event; on the Java backend, where everything runs at once, always passed.
 */
public interface Fence extends AutoCloseable {
    /** A fence that has always been passed. */
    Fence PASSED = new Fence() {
        @Override
        public void await() {
        }

        @Override
        public void close() {
        }
    };

    /** Blocks until the work before the fence has completed. */
    void await();

    /** Frees the native event, if any. */
    @Override
    void close();
}
