package org.d2lcl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading a whole small text file (a model, a checkpoint) without reading forever: at most a stated
 * number of bytes, in one pass (so a FIFO works), and binary input refused by its first bytes or
 * its first zero byte, without printing it.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * The bytes of {@code file}, at most {@code max}.
     *
     * @param what what the file should be, for the message ("a model file")
     * @throws DataException when it is a folder, larger than {@code max}, or not text
     */
    public static byte[] readAtMost(Path file, int max, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a folder, not " + what);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new DataException(file + ": is larger than " + (max >> 20) + " MiB, the most " + what
                        + " may be");
            }
            String binary = binary(bytes, bytes.length);
            if (binary != null) {
                throw new DataException(file + ": is not text (it looks like " + binary + "); expected " + what);
            }
            return bytes;
        }
    }

    /**
     * What the first {@code length} bytes look like when they are not text ("a gzip file", "binary
     * data: a zero byte at offset 0"), or null when they may be text.
     */
    public static String binary(byte[] head, int length) {
        String magic = magic(head, length);
        if (magic != null) {
            return magic;
        }
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return String.format(Locale.ROOT, "binary data: a zero byte at offset %d", i);
            }
        }
        return null;
    }

    /** The kind of file its first bytes announce, or null. */
    public static String magic(byte[] head, int length) {
        if (starts(head, length, 0x1f, 0x8b)) {
            return "a gzip file";
        }
        if (starts(head, length, 'P', 'K', 3, 4)) {
            return "a ZIP archive (an .xlsx workbook is one)";
        }
        if (starts(head, length, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (starts(head, length, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (starts(head, length, 0x7f, 'E', 'L', 'F')) {
            return "an executable (ELF)";
        }
        if (starts(head, length, 0xfd, '7', 'z', 'X', 'Z')) {
            return "an xz file";
        }
        if (starts(head, length, 'B', 'Z', 'h')) {
            return "a bzip2 file";
        }
        if (starts(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
            return "a zstd file";
        }
        if (starts(head, length, 'P', 'A', 'R', '1')) {
            return "a Parquet file";
        }
        if (starts(head, length, 0xd0, 0xcf, 0x11, 0xe0)) {
            return "an old Office document (.xls)";
        }
        return null;
    }

    private static boolean starts(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
