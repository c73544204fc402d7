package org.d2lcl.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Standard output as a {@link PrintWriter} that remembers why a write failed ({@code PrintWriter}
 * itself keeps only a flag), so that the command line can say it as GNU coreutils do:
 * {@code d2l-cl: cannot write to standard output: No space left on device}, exit 1.
 */
final class StandardOutput extends PrintWriter {
    private final Recorder recorder;

    private StandardOutput(Recorder recorder, Charset charset) {
        super(new OutputStreamWriter(recorder, charset), true);
        this.recorder = recorder;
    }

    /** The process's standard output. */
    static StandardOutput open() {
        return of(new FileOutputStream(FileDescriptor.out), Charset.defaultCharset());
    }

    static StandardOutput of(OutputStream out, Charset charset) {
        return new StandardOutput(new Recorder(out), charset);
    }

    /** The first write failure's reason, or null when every write so far succeeded. */
    String failure() {
        checkError();
        IOException e = recorder.failure;
        return e == null ? null : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The reason {@code out} failed, or null when it has not: {@link #failure()} or a generic one. */
    static String failure(PrintWriter out) {
        if (out instanceof StandardOutput s) {
            return s.failure();
        }
        return out.checkError() ? "write error" : null;
    }

    /**
     * The exit code of a run whose reader went away ({@code | head}): 128 + SIGPIPE, what a shell
     * reports for a C program the signal stopped. Such a run says nothing: its reader asked for no more.
     */
    static final int BROKEN_PIPE = 141;

    /** Whether {@code reason} is a closed pipe ({@code EPIPE}) rather than a failed device. */
    static boolean brokenPipe(String reason) {
        return reason != null && reason.contains("Broken pipe");
    }

    /** Thrown to stop a run whose output cannot be written. */
    static final class Failed extends RuntimeException {
        private final boolean brokenPipe;

        Failed(String reason) {
            super("cannot write to standard output: " + reason);
            this.brokenPipe = brokenPipe(reason);
        }

        /** Exit quietly with {@link #BROKEN_PIPE}, or say the message and exit 1. */
        int report(PrintWriter err) {
            if (brokenPipe) {
                return BROKEN_PIPE;
            }
            err.println("d2l-cl: " + getMessage());
            return 1;
        }
    }

    /** Throws {@link Failed} when a write to {@code out} has failed. */
    static void check(PrintWriter out) {
        String reason = failure(out);
        if (reason != null) {
            throw new Failed(reason);
        }
    }

    private static final class Recorder extends OutputStream {
        private final OutputStream out;
        private volatile IOException failure;

        Recorder(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw record(e);
            }
        }

        private IOException record(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
