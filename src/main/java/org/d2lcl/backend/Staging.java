package org.d2lcl.backend;

import java.nio.FloatBuffer;

/**
 * Host memory a backend copies to its tensors beside its other work ({@link Backend#upload}): on
 * OpenCL direct memory outside the Java heap, which the driver reads without a copy through the
 * heap; on the Java backend an array.
 */
public interface Staging extends AutoCloseable {
    /**
     * The floats to fill, row-major, from index 0. An upload of this staging area has completed
     * when {@link Backend#upload} returns its fence, so the view may be filled again at once.
     */
    FloatBuffer floats();

    /** Frees the memory. */
    @Override
    void close();
}
