package org.d2lcl.opencl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.d2lcl.data.AtomicFile;

/**
 * Built programs kept on disk as the device's own binaries ({@code CL_PROGRAM_BINARIES}), so that a
 * later process builds from the binary instead of the source: on PoCL about 5 ms a program instead
 * of 55 ms from PoCL's own cache of compiled sources (docs/performance.md). A build's key is
 * everything the build depends on: the source (includes expanded), the build options, and the
 * device, its driver and its platform, by name and version. The file is named by two checksums of
 * the key (CRC-32 and Adler-32, which zlib computes in microseconds where SHA-256 took a cold JVM
 * about 40 ms) and holds the key itself before the binary: a file whose key is not the build's is not
 * used, so two builds whose names collide are rebuilt, never mixed up. One that does not load or
 * build is rebuilt from source and replaced; one that cannot be written is skipped: the cache only
 * ever saves time, never changes a result.
 *
 * <p>The folder: {@code $D2LCL_PROGRAM_CACHE}, or {@code off} for none; by default
 * {@code $XDG_CACHE_HOME/d2l-cl/programs}, else {@code ~/.cache/d2l-cl/programs}.
 */
public final class ProgramCache {
    /** The environment variable that names the folder, or {@code off}. */
    public static final String ENV = "D2LCL_PROGRAM_CACHE";
    /** No binary this large is read: a program's binary is kilobytes to a few megabytes. */
    static final long MAX_BYTES = 256L << 20;

    private static final ProgramCache DEFAULT = fromEnvironment();

    private final Path folder; // null: no cache

    private ProgramCache(Path folder) {
        this.folder = folder;
    }

    /** The cache in {@code folder}; null: none. */
    public static ProgramCache at(Path folder) {
        return new ProgramCache(folder);
    }

    /** The cache the environment names ({@link #ENV}). */
    public static ProgramCache standard() {
        return DEFAULT;
    }

    private static ProgramCache fromEnvironment() {
        String named = System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            return new ProgramCache(named.strip().equalsIgnoreCase("off") ? null : Path.of(named.strip()));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ProgramCache(base.resolve("d2l-cl").resolve("programs"));
    }

    /** The folder, or null when there is no cache. */
    public Path folder() {
        return folder;
    }

    /** The start of every file: the format's name and version. */
    private static final byte[] MAGIC = "d2l-cl program binary 1\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Where one build's binary is kept ({@code file}) and the key the file must hold to be used: the
     * build's inputs, each followed by a NUL.
     */
    record Slot(Path file, byte[] key) {
    }

    /** The slot of {@code source} built with {@code options} for {@code device}; null: no cache. */
    Slot slot(ClDevice device, String source, String options) {
        if (folder == null) {
            return null;
        }
        ByteArrayOutputStream key = new ByteArrayOutputStream(source.length() + 256);
        for (String part : new String[] {device.platformName(), device.name(), device.version(),
                device.driverVersion(), options, source}) {
            key.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            key.write(0);
        }
        byte[] bytes = key.toByteArray();
        CRC32 c = new CRC32();
        c.update(bytes);
        Adler32 d = new Adler32();
        d.update(bytes);
        String name = hex8(c.getValue()) + hex8(d.getValue()) + "-" + bytes.length + ".bin";
        return new Slot(folder.resolve(name), bytes);
    }

    private static String hex8(long checksum) {
        String hex = Long.toHexString(checksum);
        return "0".repeat(8 - hex.length()) + hex;
    }

    /**
     * The binary {@code slot}'s file holds, or null when there is none, or it cannot be read, or is too
     * large, or holds another key.
     */
    static byte[] read(Slot slot) {
        if (slot == null || !Files.isRegularFile(slot.file())) {
            return null;
        }
        int header = MAGIC.length + Integer.BYTES + slot.key().length;
        try (FileChannel in = FileChannel.open(slot.file(), StandardOpenOption.READ)) {
            long size = in.size(); // read to this size and no further, should the file grow meanwhile
            if (size <= header || size > header + MAX_BYTES) {
                return null;
            }
            ByteBuffer head = ByteBuffer.allocate(header);
            if (!readFully(in, head) || !Arrays.equals(head.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                    || head.getInt(MAGIC.length) != slot.key().length
                    || !Arrays.equals(head.array(), MAGIC.length + Integer.BYTES, header, slot.key(), 0,
                            slot.key().length)) {
                return null;
            }
            byte[] binary = new byte[(int) (size - header)];
            return readFully(in, ByteBuffer.wrap(binary)) ? binary : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Fills {@code into} from {@code in}; false where the file ends first (it shrank meanwhile). */
    private static boolean readFully(FileChannel in, ByteBuffer into) throws IOException {
        while (into.hasRemaining() && in.read(into) >= 0) {
            // until full, or the end of the file
        }
        return !into.hasRemaining();
    }

    /** Writes {@code binary} into {@code slot}'s file atomically, after the key; a cache that cannot be written is left as it is. */
    static void write(Slot slot, byte[] binary) {
        if (slot == null || binary == null || binary.length == 0) {
            return;
        }
        try {
            Files.createDirectories(slot.file().getParent());
            AtomicFile.write(slot.file(), out -> {
                out.write(MAGIC);
                out.write(ByteBuffer.allocate(Integer.BYTES).putInt(slot.key().length).array());
                out.write(slot.key());
                out.write(binary);
            });
        } catch (IOException | RuntimeException e) {
            // read-only home, full disk: the next run builds from source again
        }
    }
}
