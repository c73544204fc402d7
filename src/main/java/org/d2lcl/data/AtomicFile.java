package org.d2lcl.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How every file d2l-cl writes (model, checkpoint, plots, predictions) replaces what was there, as
 * {@code sed -i --follow-symlinks} and {@code install} do: the content goes to a temporary file in
 * the target's folder ({@code .NAME.RANDOM.tmp}), is forced to the disk, renamed over the target
 * in one step, and the folder is forced too. A reader sees the old file or the new one, never part
 * of one. A symbolic link is followed: its final target is replaced and the link kept. A path that
 * exists and is not a regular file (a folder, a device such as {@code /dev/null}, a FIFO, a socket)
 * is refused, never replaced. A new file gets the permissions the umask gives; a replaced one keeps
 * its own. Temporary files and lock files still open when the JVM shuts down (SIGTERM, Ctrl-C) are deleted.
 */
public final class AtomicFile {
    /** What goes into the file. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What goes into the file, written through its channel (which may seek back, e.g. to finish a header). */
    public interface ChannelContent {
        void writeTo(FileChannel channel) throws IOException;
    }

    private static final int MAX_LINKS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static boolean hooked;
    private static boolean shuttingDown;

    private AtomicFile() {
    }

    /**
     * The file a write to {@code file} replaces: {@code file}, or the end of its chain of symbolic
     * links (which need not exist yet).
     *
     * @throws IOException on a loop of links or an unreadable one
     */
    public static Path target(Path file) throws IOException {
        Path p = Objects.requireNonNull(file, "file").toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        return p;
    }

    /**
     * Why {@code file} cannot be written, or null when it can: it exists and is not a regular file,
     * or its folder does not exist or is not writable. Checked before a long run, so that the run
     * does not end in a file it cannot write.
     */
    public static String problem(Path file) {
        Path target;
        try {
            target = target(file);
        } catch (IOException e) {
            return reason(e);
        }
        String kind = kind(target);
        if (kind != null) {
            return "is " + kind + ", not a regular file; name a file";
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            return "the folder " + dir + " does not exist";
        }
        if (!Files.isWritable(dir)) {
            return "the folder " + dir + " is not writable";
        }
        return null;
    }

    /** What {@code path} is when it exists and is not a regular file ("a folder", "a FIFO", ...), else null. */
    static String kind(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
        if (attributes.isRegularFile()) {
            return null;
        }
        if (attributes.isDirectory()) {
            return "a folder";
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            switch (type) {
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No unix view here; the general word will do.
        }
        return "a special file";
    }

    /**
     * Replaces the file {@code file} names (see the class comment) with {@code content}. On any
     * failure the temporary file is removed and the old file is untouched.
     *
     * @throws IOException when the target is not a regular file or any step fails
     */
    public static void write(Path file, Content content) throws IOException {
        writeChannel(file, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            content.writeTo(out);
            out.flush();
        });
    }

    /** {@link #write(Path, Content)} through the temporary file's channel. */
    public static void writeChannel(Path file, ChannelContent content) throws IOException {
        Path target = target(file);
        String kind = kind(target);
        if (kind != null) {
            throw new FileSystemException(file.toString(), null, "it is " + kind + ", not a regular file");
        }
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
        FileChannel created;
        synchronized (IN_FLIGHT) {
            // The shutdown hook and this creation exclude each other: once it has run, no new file is made.
            hook();
            created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            IN_FLIGHT.add(tmp);
        }
        try {
            try (FileChannel channel = created) {
                content.writeTo(channel);
                channel.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new FileSystemException(dir.toString(), null, "this file system cannot rename atomically");
            }
            forceFolder(dir);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The write already failed; that failure is the one to report.
            }
            IN_FLIGHT.remove(tmp);
        }
    }

    /**
     * Removes temporary files a killed run left beside {@code file} ({@code .NAME.*.tmp}). Call it
     * only while no other process writes {@code file} (e.g. holding {@link #tryLock}).
     */
    public static void removeStale(Path file) throws IOException {
        Path target = target(file);
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(),
                entry -> {
                    String name = entry.getFileName().toString();
                    return name.startsWith(prefix) && name.endsWith(".tmp")
                            && name.substring(prefix.length(), name.length() - 4).matches("[0-9a-z]{1,13}");
                })) {
            for (Path stale : entries) {
                if (Files.isRegularFile(stale, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(stale);
                }
            }
        }
    }

    /**
     * Takes the lock on {@code file} for one writer (a process that writes it again and again, such
     * as a run's checkpoint): a {@code .NAME.lock} file beside it, locked with the operating system's
     * file lock, so that a crashed process never holds it. Returns null when another process (or
     * another writer in this one) holds it.
     */
    public static Lock tryLock(Path file) throws IOException {
        Path target = target(file);
        Path path = target.getParent().resolve("." + target.getFileName() + ".lock");
        String token = ProcessHandle.current().pid() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + "\n";
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            // The holder deletes the file as it lets go: the lock is good only on the file the path names now.
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String now;
            try {
                now = Files.readString(path, java.nio.charset.StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                now = null;
            }
            if (token.equals(now)) {
                synchronized (IN_FLIGHT) {
                    hook();
                    IN_FLIGHT.add(path);
                }
                return new Lock(path, channel, lock);
            }
            lock.release();
            channel.close();
        }
        return null;
    }

    /** A held {@link #tryLock} lock; closing it removes the lock file and lets go. */
    public static final class Lock implements AutoCloseable {
        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(Path path, FileChannel channel, FileLock lock) {
            this.path = path;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // A lock file left behind is harmless: the next run locks it again.
            }
            IN_FLIGHT.remove(path);
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // Closing the channel releases the lock in any case.
            }
        }
    }

    /** A replaced file keeps its permissions, as with {@code sed -i}; a new one has the umask's. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (view != null && Files.exists(target)) {
                view.setPermissions(Files.getPosixFilePermissions(target));
            }
        } catch (IOException e) {
            // The old permissions could not be read or set; the umask's stay.
        }
    }

    /** Makes the rename itself durable; a folder cannot be opened for this on every platform. */
    private static void forceFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. on Windows); the rename is still atomic.
        }
    }

    /** Registers the shutdown hook once; called holding {@code IN_FLIGHT}'s monitor. */
    private static void hook() throws IOException {
        if (shuttingDown) {
            throw new IOException("the JVM is shutting down");
        }
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (IN_FLIGHT) {
                    shuttingDown = true;
                    for (Path tmp : IN_FLIGHT) {
                        try {
                            Files.deleteIfExists(tmp);
                        } catch (IOException ignored) {
                            // Shutting down; nothing else to do.
                        }
                    }
                }
            }, "d2l-cl temporary files"));
            hooked = true;
        }
    }

    /**
     * An I/O failure in words, for a one-line message: the operating system's reason ("No space
     * left on device", "permission denied"), without the exception's class name.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String why = fs.getReason();
            if (why == null) {
                why = e instanceof AccessDeniedException ? "permission denied"
                        : e instanceof NoSuchFileException ? "no such file or folder"
                        : e instanceof NotDirectoryException ? "not a folder"
                        : e.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT);
            }
            return fs.getFile() == null ? why : fs.getFile() + ": " + why;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
