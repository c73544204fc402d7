package org.d2lcl.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file of one 2-D array, float32 or float64 in C order (row-major), read
 * through a memory map: the values stay in the operating system's page cache and are never copied
 * onto the heap as a whole. The map is made of windows of whole rows, each under 2 GiB (the most
 * one {@link MappedByteBuffer} holds), so a file of any size opens. {@link #open} checks the header
 * against the file's size; {@link #row} reads one row as floats and refuses a value that is not
 * finite as a float, with the message the CSV reader gives.
 *
 * <p>The format (numpy.lib.format): the magic {@code \x93NUMPY}, a major and a minor version byte,
 * the header's length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), the header
 * (a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (n, c), }},
 * padded with spaces and a newline), then the {@code n * c} values.
 */
public final class Npy implements AutoCloseable {
    /** The bytes every .npy file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The largest window mapped at once. */
    static final long MAX_WINDOW = 1L << 30;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String name;
    private final FileChannel channel;
    private final long rows;
    private final int columns;
    private final int itemBytes; // 4: float32, 8: float64
    private final ByteOrder order;
    private final long dataOffset;
    private final long rowsPerWindow;
    private final ByteBuffer[] windows;
    private final FloatBuffer[] floatWindows; // float32: the same windows as floats, read in bulk; else null

    private Npy(String name, FileChannel channel, long rows, int columns, int itemBytes, ByteOrder order,
            long dataOffset, long windowBytes) throws IOException {
        this.name = name;
        this.channel = channel;
        this.rows = rows;
        this.columns = columns;
        this.itemBytes = itemBytes;
        this.order = order;
        this.dataOffset = dataOffset;
        long rowBytes = rowBytes();
        this.rowsPerWindow = Math.max(1, windowBytes / rowBytes);
        int count = (int) ((rows + rowsPerWindow - 1) / rowsPerWindow);
        this.windows = new ByteBuffer[count];
        this.floatWindows = itemBytes == 4 ? new FloatBuffer[count] : null;
        for (int k = 0; k < count; k++) {
            long first = k * rowsPerWindow;
            long bytes = Math.min(rowsPerWindow, rows - first) * rowBytes;
            windows[k] = channel.map(FileChannel.MapMode.READ_ONLY, dataOffset + first * rowBytes, bytes).order(order);
            if (floatWindows != null) {
                floatWindows[k] = windows[k].asFloatBuffer();
            }
        }
    }

    /**
     * Opens {@code file} and checks its header: the magic and version, a float32 or float64 dtype, C
     * order, a 2-D shape with rows and at least {@code minColumns} columns, and exactly as many bytes
     * of data as the shape says.
     *
     * @throws DataException naming the file and the first problem, in one line
     */
    public static Npy open(Path file, int minColumns) {
        return open(file, minColumns, MAX_WINDOW);
    }

    /** {@link #open(Path, int)} with windows of at most {@code windowBytes} (at least one row each). */
    static Npy open(Path file, int minColumns, long windowBytes) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new DataException(name + ": cannot be read: it is a folder, not a .npy file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file");
        } catch (IOException e) {
            throw new DataException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            return open(name, channel, minColumns, windowBytes);
        } catch (IOException e) {
            close(channel);
            throw new DataException(name + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static Npy open(String name, FileChannel channel, int minColumns, long windowBytes) throws IOException {
        long size = channel.size();
        ByteBuffer start = read(channel, 0, (int) Math.min(size, 12));
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.limit() <= i || start.get(i) != MAGIC[i]) {
                throw new DataException(name + ": not a .npy file (it does not start with \\x93NUMPY)");
            }
        }
        if (start.limit() < 10) {
            throw new DataException(name + ": truncated: " + size + " bytes end inside the .npy preamble");
        }
        int major = start.get(6) & 0xff;
        int minor = start.get(7) & 0xff;
        if (major < 1 || major > 3) {
            throw new DataException(name + ": .npy format version " + major + "." + minor
                    + "; versions 1.0, 2.0 and 3.0 are read");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (start.limit() < 8 + lengthBytes) {
            throw new DataException(name + ": truncated: " + size + " bytes end inside the .npy preamble");
        }
        long headerLength = major == 1 ? start.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff
                : start.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xffffffffL;
        long dataOffset = 8 + lengthBytes + headerLength;
        if (dataOffset > size || headerLength > 1 << 20) {
            throw new DataException(name + ": truncated: the .npy header is " + headerLength + " bytes long, but the"
                    + " file ends after " + size + " bytes");
        }
        String header = StandardCharsets.ISO_8859_1.decode(read(channel, 8 + lengthBytes, (int) headerLength))
                .toString().strip();
        String descr = field(name, header, DESCR, "descr");
        boolean fortran = field(name, header, FORTRAN, "fortran_order").equals("True");
        String shape = field(name, header, SHAPE, "shape");
        int itemBytes = descr.matches("[<>|=]?f4") ? 4 : descr.matches("[<>|=]?f8") ? 8 : 0;
        if (itemBytes == 0) {
            throw new DataException(name + ": dtype '" + descr + "'; float32 ('<f4') or float64 ('<f8') is needed"
                    + " (numpy: a.astype(np.float32))");
        }
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : descr.startsWith("=")
                ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        if (fortran) {
            throw new DataException(name + ": Fortran order (column-major); C order (row-major) is needed"
                    + " (numpy: np.save(f, np.ascontiguousarray(a)))");
        }
        String[] dims = shape.strip().split("\\s*,\\s*", -1);
        int ndim = dims[dims.length - 1].isEmpty() ? dims.length - 1 : dims.length;
        if (ndim != 2 || !dims[0].matches("\\d{1,18}") || !dims[1].matches("\\d{1,10}")) {
            throw new DataException(name + ": shape (" + shape.strip() + "); a 2-D array (rows, columns) is needed");
        }
        long rows = Long.parseLong(dims[0]);
        long cols = Long.parseLong(dims[1]);
        if (cols < minColumns) {
            throw new DataException(name + ": shape (" + shape.strip() + "): " + cols + " column"
                    + (cols == 1 ? "" : "s") + "; at least " + minColumns + " are needed"
                    + (minColumns == 2 ? " (features and a label)" : ""));
        }
        if (rows == 0) {
            throw new DataException(name + ": shape (" + shape.strip() + "): no rows; at least 1 is needed");
        }
        if (cols > Integer.MAX_VALUE / 8 || rows > Long.MAX_VALUE / 8 / cols) {
            throw new DataException(name + ": shape (" + shape.strip() + "): too large to address");
        }
        long needed = rows * cols * itemBytes;
        long present = size - dataOffset;
        if (present != needed) {
            String kind = itemBytes == 4 ? "float32" : "float64";
            throw new DataException(name + ": " + (present < needed ? "truncated: " : "")
                    + "the header's shape (" + rows + ", " + cols + ") of " + kind + " needs " + needed
                    + " bytes of data, the file has " + present + (present < needed ? "" : ": the header does not"
                            + " match the data"));
        }
        if (cols * itemBytes > MAX_WINDOW) {
            throw new DataException(name + ": shape (" + shape.strip() + "): a row of " + cols * itemBytes
                    + " bytes; at most " + MAX_WINDOW + " are mapped at once");
        }
        return new Npy(name, channel, rows, (int) cols, itemBytes, order, dataOffset, windowBytes);
    }

    private static String field(String name, String header, Pattern pattern, String key) {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new DataException(name + ": the .npy header is not a dict ('"
                    + header.substring(0, Math.min(60, header.length())).lines().findFirst().orElse("") + "')");
        }
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new DataException(name + ": the .npy header has no valid '" + key + "'");
        }
        return m.group(1);
    }

    private static ByteBuffer read(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // reads until full or the end of the file
        }
        return buffer.flip();
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Opening failed; that failure is the one to report.
        }
    }

    /** The file, as messages name it. */
    public String name() {
        return name;
    }

    /** The number of rows. */
    public long rows() {
        return rows;
    }

    /** The number of columns. */
    public int columns() {
        return columns;
    }

    /** 4 for float32, 8 for float64. */
    public int itemBytes() {
        return itemBytes;
    }

    /** Bytes of one row in the file. */
    public long rowBytes() {
        return (long) columns * itemBytes;
    }

    /**
     * Copies row {@code i} into {@code out[off .. off + columns)}, as floats (float64 values rounded
     * to nearest, as {@code np.float32} does). Safe to call from several threads at once.
     *
     * @throws DataException when a value is not finite as a float, naming the row and column (from 0)
     */
    public void row(long i, float[] out, int off) {
        columns(i, 0, columns, out, off);
        check(i, out, off);
    }

    /**
     * Copies columns {@code [from, from + count)} of row {@code i} into {@code out[off ..)}, unchecked:
     * float32 rows in bulk from the map, float64 ones value by value.
     */
    private void columns(long i, int from, int count, float[] out, int off) {
        int k = window(i);
        int at = rowStart(i) + from; // in values, from the window's start
        if (floatWindows != null) {
            floatWindows[k].get(at, out, off, count);
        } else {
            ByteBuffer w = windows[k];
            for (int c = 0; c < count; c++) {
                out[off + c] = (float) w.getDouble(8 * (at + c));
            }
        }
    }

    /** The window that holds row {@code i} (no division where one window holds the file). */
    private int window(long i) {
        return windows.length == 1 ? 0 : (int) (i / rowsPerWindow);
    }

    /** Where row {@code i} starts in its window, in values. */
    private int rowStart(long i) {
        return (int) ((windows.length == 1 ? i : i % rowsPerWindow) * columns);
    }

    /** Refuses a value of row {@code i}, as copied to {@code out[off ..)}, that is not finite. */
    private void check(long i, float[] out, int off) {
        boolean bad = false;
        for (int c = 0; c < columns; c++) {
            bad |= !Float.isFinite(out[off + c]);
        }
        if (bad) {
            for (int c = 0; c < columns; c++) {
                if (!Float.isFinite(out[off + c])) {
                    double raw = itemBytes == 4 ? out[off + c] : windows[window(i)].getDouble(8 * (rowStart(i) + c));
                    throw new DataException(name + " row " + i + ", column " + c + " (counting from 0): " + raw
                            + (Double.isFinite(raw) ? " is beyond float32's range" : " is not finite")
                            + "; every value must be finite");
                }
            }
        }
    }

    private static boolean finite(float[] values, int off, int count) {
        boolean ok = true;
        for (int c = 0; c < count; c++) {
            ok &= Float.isFinite(values[off + c]);
        }
        return ok;
    }

    /** Reads every row once, so that a value that is not finite is refused before training starts. */
    public void validate() {
        float[] row = new float[columns];
        for (long i = 0; i < rows; i++) {
            row(i, row, 0);
        }
    }

    /**
     * The file's rows as examples, column {@code label} the label and the others the features in
     * file order, read from the map on each {@link RowSource#gather}: nothing is copied until then.
     *
     * @throws DataException when the label is not a column or the file has more rows than a run indexes
     */
    public RowSource source(int label) {
        if (label < 0 || label >= columns) {
            throw new DataException("column " + label + " of " + name + ": it must be between 0 and " + (columns - 1));
        }
        if (rows > Integer.MAX_VALUE - 8) {
            throw new DataException(name + ": " + rows + " rows; a run takes at most " + (Integer.MAX_VALUE - 8));
        }
        int n = (int) rows, d = columns - 1;
        RowSource.Gather gather = (order, from, count, x, y, at) -> {
            float[] row = new float[columns];
            for (int r = 0; r < count; r++) {
                long i = order == null ? from + r : order[from + r];
                int xr = (at + r) * d;
                if (label == d) { // the usual layout: the features straight into x, the label into y
                    columns(i, 0, d, x, xr);
                    columns(i, d, 1, y, at + r);
                    if (!finite(x, xr, d) || !Float.isFinite(y[at + r])) {
                        row(i, row, 0); // names the value
                    }
                } else {
                    row(i, row, 0);
                    System.arraycopy(row, 0, x, xr, label);
                    System.arraycopy(row, label + 1, x, xr + label, d - label);
                    y[at + r] = row[label];
                }
            }
        };
        // float32 with the label last: each row's features copied from the map straight into x, then
        // the block checked at once (a loop over an array, which the JIT vectorises).
        RowSource.GatherInto into = floatWindows == null || label != d ? null : (order, from, count, x, y, at) -> {
            for (int r = 0; r < count; r++) {
                long i = order == null ? from + r : order[from + r];
                FloatBuffer window = floatWindows[window(i)];
                int src = rowStart(i);
                x.put((at + r) * d, window, src, d);
                y.put(at + r, window.get(src + d));
            }
            float[][] copy = GatherScratch.arrays(count * d, count);
            x.get(at * d, copy[0], 0, count * d);
            y.get(at, copy[1], 0, count);
            if (!finite(copy[0], 0, count * d) || !finite(copy[1], 0, count)) {
                gather.gather(order, from, count, copy[0], copy[1], 0); // names the first value that is not
            }
        };
        return RowSource.of(name, n, d, gather, into);
    }

    /**
     * The file as a {@link Dataset} on the heap (for a run whose data fits the device): column
     * {@code label} the labels, every other column a feature, read in one pass that also validates.
     */
    public Dataset dataset(int label) {
        RowSource source = source(label);
        long values = rows * (columns - 1);
        if (values > Integer.MAX_VALUE - 8) {
            throw new DataException(name + ": " + values + " feature values do not fit in one Java array;"
                    + " a run on this file streams it (--device-memory)");
        }
        float[] x = new float[(int) values];
        float[] y = new float[source.n()];
        source.gather(null, 0, source.n(), x, y, 0);
        return new Dataset(x, y, source.n(), columns - 1);
    }

    /** Every value, row-major, on the heap: for {@code predict}, whose rows are all the features. */
    public float[] values() {
        long count = rows * columns;
        if (count > Integer.MAX_VALUE - 8) {
            throw new DataException(name + ": " + count + " values do not fit in one Java array");
        }
        float[] out = new float[(int) count];
        for (long i = 0; i < rows; i++) {
            row(i, out, (int) (i * columns));
        }
        return out;
    }

    /** Whether {@code file} is read as a .npy file: its name ends in {@code .npy}. */
    public static boolean isNpy(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    /**
     * The bytes of a version 1.0 header for {@code rows x columns} little-endian float32 values, padded
     * to {@code HEADER_BYTES} so that a writer can put it first, then rewrite it in place once the number
     * of rows is known.
     */
    public static byte[] header(long rows, int columns) {
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
                rows, columns);
        StringBuilder text = new StringBuilder(dict);
        while (text.length() < HEADER_BYTES - 10 - 1) {
            text.append(' ');
        }
        text.append('\n');
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        out.put(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    /** The length of {@link #header}: a multiple of 64, as numpy aligns it, with room for any shape. */
    public static final int HEADER_BYTES = 128;

    /** Unmaps nothing itself (the JVM unmaps when the windows are collected) but closes the file. */
    @Override
    public void close() {
        close(channel);
    }
}
