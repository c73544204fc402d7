package org.d2lcl.backend;

/**
 * What the backends' index vectors share: a length, the backend, and being closed, after which
 * every operation refuses them ({@link BaseBackend}).
 */
abstract class BaseIndices implements Indices, BaseBackend.Closable {
    private final Backend backend;
    private final int length;
    private boolean closed;

    BaseIndices(Backend backend, int length) {
        this.backend = backend;
        this.length = length;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    /** Marks the vector closed: using it afterwards throws. */
    @Override
    public void close() {
        closed = true;
    }
}
