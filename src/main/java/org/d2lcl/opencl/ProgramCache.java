package org.d2lcl.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.d2lcl.data.AtomicFile;

/**
 * Built programs kept on disk as the device's own binaries ({@code CL_PROGRAM_BINARIES}), so that a
 * later process builds from the binary instead of the source: on PoCL about 5 ms a program instead
 * of 55 ms from PoCL's own cache of compiled sources (docs/performance.md). A binary is named by a
 * SHA-256 of everything the build depends on: the source (includes expanded), the build options,
 * and the device, its driver and its platform, by name and version. One that does not load or
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

    /** The file that holds the binary of {@code source} built with {@code options} for {@code device}; null: no cache. */
    Path file(ClDevice device, String source, String options) {
        if (folder == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {device.platformName(), device.name(), device.version(),
                    device.driverVersion(), options, source}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return folder.resolve(HexFormat.of().formatHex(sha.digest()) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The binary in {@code file}, or null when there is none (or it cannot be read, or is too large). */
    static byte[] read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            return bytes.length == 0 || bytes.length > MAX_BYTES ? null : bytes;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code binary} to {@code file} atomically; a cache that cannot be written is left as it is. */
    static void write(Path file, byte[] binary) {
        if (file == null || binary == null || binary.length == 0) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFile.write(file, out -> out.write(binary));
        } catch (IOException | RuntimeException e) {
            // read-only home, full disk: the next run builds from source again
        }
    }
}
