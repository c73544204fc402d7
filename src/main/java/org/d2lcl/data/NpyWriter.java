package org.d2lcl.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes a 2-D float32 {@code .npy} file value by value, in constant memory: the values go through
 * a 1 MiB buffer into the file after a placeholder header ({@link Npy#header}), which {@link #finish}
 * rewrites in place once the number of rows is known. Files are written with {@link AtomicFile}, so a
 * reader sees the old file or the whole new one.
 */
public final class NpyWriter {
    private final FileChannel channel;
    private int columns;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long values;

    private NpyWriter(FileChannel channel, int columns) throws IOException {
        this.channel = channel;
        this.columns = columns;
        channel.position(Npy.HEADER_BYTES);
    }

    /** What writes the values into a new file. */
    public interface Values {
        void writeTo(NpyWriter out) throws IOException;
    }

    /**
     * Writes {@code file} atomically: a {@code rows x columns} float32 array of the values {@code values} adds,
     * the rows counted from them; {@code columns} 0 when {@code values} sets it ({@link #columns(int)}).
     *
     * @return the number of rows written
     * @throws IOException when the file cannot be written
     */
    public static long write(Path file, int columns, Values values) throws IOException {
        long[] rows = new long[1];
        AtomicFile.writeChannel(file, channel -> {
            NpyWriter out = new NpyWriter(channel, columns);
            values.writeTo(out);
            rows[0] = out.finish();
        });
        return rows[0];
    }

    /** Appends one value; rows are filled in order, {@code columns} values each. */
    public void add(float value) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.putFloat(value);
        values++;
    }

    /** {@link #add} for a caller that cannot throw {@link IOException}: it is thrown unchecked. */
    public void addUnchecked(float value) {
        try {
            add(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private long finish() throws IOException {
        if (columns < 1 || values % columns != 0) {
            throw new IllegalStateException(values + " values do not fill rows of " + columns);
        }
        drain();
        long rows = values / columns;
        ByteBuffer header = ByteBuffer.wrap(Npy.header(rows, columns));
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        return rows;
    }

    /**
     * {@code d2l-cl convert}: parses {@code csv} once, by {@link Csv#read}'s rules and with its
     * messages (a header line is allowed and dropped: a .npy file has no column names), and writes
     * its values as a float32 {@code .npy} file in the same column order, streaming, in constant memory.
     *
     * @return rows and columns written
     * @throws DataException for the CSV's first problem, or when {@code npy} cannot be written
     */
    public static long[] fromCsv(Path csv, Path npy) {
        long[] shape = new long[2];
        Csv.read(csv, (in, nonBlank) -> {
            try {
                shape[0] = write(npy, 0, out -> shape[1] = Csv.rows(in, csv.toString(), nonBlank, 2,
                        "features and a label", new Csv.Rows() {
                            @Override
                            public void begin(String[] header, int line, int count, long rows) {
                                out.columns(count);
                            }

                            @Override
                            public void add(int column, int count, float value) {
                                out.addUnchecked(value);
                            }
                        }));
                return null;
            } catch (IOException | UncheckedIOException e) {
                throw new DataException(npy + ": cannot be written (" + AtomicFile.reason(
                        e instanceof UncheckedIOException u ? u.getCause() : (IOException) e) + ")", e);
            }
        });
        return shape;
    }

    /** Sets the number of columns, when {@link #write} was given 0, before the first value. */
    public void columns(int count) {
        columns = count;
    }
}
