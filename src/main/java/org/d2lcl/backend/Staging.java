package org.d2lcl.backend;

import java.nio.FloatBuffer;

/**
 * Host memory a backend copies to its tensors beside its other work ({@link Backend#upload}): on
 * OpenCL a buffer the driver allocates in host memory (pinned where it pins), mapped while the host
 * fills it; on the Java backend an array.
 */
public interface Staging extends AutoCloseable {
    /**
     * The floats to fill, row-major, from index 0. On OpenCL this waits until the last upload from
     * this staging area has completed; the view is valid until the next {@link Backend#upload} of it.
     */
    FloatBuffer floats();

    /** Frees the memory. */
    @Override
    void close();
}
