package org.d2lcl.backend;

/**
 * A row-major {@code rows x cols} matrix of floats that lives on one {@link Backend}: in a device
 * buffer on OpenCL, in a Java array on the reference backend. Vectors are {@code n x 1}.
 * {@link #head(int)} gives a view of the first rows (a partial minibatch) that shares the storage;
 * closing a view does nothing, closing the tensor it came from frees the storage.
 */
public interface Tensor extends AutoCloseable {
    int rows();

    int cols();

    default long size() {
        return (long) rows() * cols();
    }

    /** The backend whose storage this tensor uses. */
    Backend backend();

    /** Reads the values from the device: {@code backend().read(this)}. */
    default float[] read() {
        return backend().read(this);
    }

    /** A view of rows {@code [0, rows)}. */
    Tensor head(int rows);

    @Override
    void close();

    /** {@code "rows x cols"}, as error messages show a shape. */
    default String shape() {
        return rows() + "x" + cols();
    }
}
