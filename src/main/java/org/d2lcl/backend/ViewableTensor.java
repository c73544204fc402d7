package org.d2lcl.backend;

/**
 * What the backends' tensors share: a shape, the backend, and views of their first rows
 * ({@link #head}) that are closed with the tensor they view. A closed tensor, or a view of one, is
 * refused by every operation ({@link BaseBackend}).
 */
abstract class ViewableTensor implements Tensor, BaseBackend.Closable {
    private final Backend backend;
    /** The tensor this is a view of, or this one. */
    private final ViewableTensor root;
    private boolean closed;
    final int rows;
    final int cols;

    ViewableTensor(Backend backend, int rows, int cols) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.root = this;
    }

    /** A view of the first {@code rows} rows of {@code of}. */
    ViewableTensor(ViewableTensor of, int rows) {
        this.backend = of.backend;
        this.rows = rows;
        this.cols = of.cols;
        this.root = of.root;
    }

    /** The view of the first {@code rows} rows, of this tensor's own type. */
    abstract Tensor view(int rows);

    @Override
    public final boolean isClosed() {
        return closed || root.closed;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final Tensor head(int n) {
        if (n < 0 || n > rows) {
            throw new ShapeException("head(" + n + ") of a " + shape() + " tensor: rows must be in [0, " + rows + "]");
        }
        return view(n);
    }

    /** Marks the tensor closed: using it, or a view of it, afterwards throws. */
    @Override
    public void close() {
        closed = true;
    }
}
