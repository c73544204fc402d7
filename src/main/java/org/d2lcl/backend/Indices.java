package org.d2lcl.backend;

/** A vector of int32 indices on one {@link Backend}: the epoch's shuffled example order. */
public interface Indices extends AutoCloseable {
    int length();

    Backend backend();

    @Override
    void close();
}
