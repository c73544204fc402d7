package org.d2lcl.opencl;

/**
 * A device buffer reused as scratch space across launches: {@link #floats(long)} grows it to the
 * largest size asked so far and never shrinks it. Owned by the kernel that uses it, which closes it.
 */
public final class ScratchBuffer implements AutoCloseable {
    private final Context context;
    private Buffer buffer;

    public ScratchBuffer(Context context) {
        this.context = context;
    }

    /** A buffer of at least {@code count} floats (at least one), contents undefined. */
    public Buffer floats(long count) {
        long floats = Math.max(count, 1);
        if (buffer == null || buffer.bytes() < floats * Float.BYTES) {
            Buffer grown = context.floats(floats);
            if (buffer != null) {
                buffer.close();
            }
            buffer = grown;
        }
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
