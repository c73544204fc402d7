package org.d2lcl.backend;

/** A vector of int32 on one {@link Backend}: the epoch's shuffled example order, or a kernel's status. */
public interface Indices extends AutoCloseable {
    int length();

    Backend backend();

    @Override
    void close();
}
