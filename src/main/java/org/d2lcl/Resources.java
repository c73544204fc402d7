package org.d2lcl;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Native resources made one after another and released together, newest first; every one is
 * closed even when one fails, and the first failure is rethrown. For code of one's own that makes
 * several tensors for one computation on a long-lived {@link Device}.
 */
public final class Resources implements AutoCloseable {
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Takes {@code resource} to close with the others; returns it. */
    public <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Closes every resource taken, newest first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable resource; (resource = owned.poll()) != null; ) {
            try {
                resource.close();
            } catch (Exception e) {
                failure = failure != null ? failure : e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
