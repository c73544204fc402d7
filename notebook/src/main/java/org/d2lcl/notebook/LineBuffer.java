package org.d2lcl.notebook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Bytes held until a line ends: each write passes on the complete lines it finishes, in one write
 * and a flush of {@code target}, and keeps the rest for the next write or {@link #flush()}.
 */
final class LineBuffer extends OutputStream {
    private final OutputStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineBuffer(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        int lastNewline = -1;
        for (int i = off + len - 1; i >= off; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            pending.write(bytes, off, len);
            return;
        }
        pending.write(bytes, off, lastNewline + 1 - off);
        flush();
        pending.write(bytes, lastNewline + 1, off + len - lastNewline - 1);
    }

    @Override
    public void flush() throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(target);
            pending.reset();
        }
        target.flush();
    }
}
