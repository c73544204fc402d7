package org.d2lcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicFile}, the one way d2l-cl replaces a file: a symbolic link is followed, a device or
 * FIFO is refused and left alone, a failed write leaves the old file and no temporary one, a new
 * file follows the umask, stale temporary files go, and one writer holds a lock at a time.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    static void mkfifo(Path path) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor(), "mkfifo");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws IOException {
        Path target = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), Path.of("real.json"));
        AtomicFile.write(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new", Files.readString(target), "its target holds the new content");
        assertEquals(List.of("link.json", "real.json"), names());
    }

    @Test
    void aFifoOrAFolderIsRefusedAndLeftAlone() throws Exception {
        Path fifo = dir.resolve("fifo");
        mkfifo(fifo);
        assertEquals("is a FIFO, not a regular file; name a file", AtomicFile.problem(fifo));
        assertThrows(IOException.class, () -> AtomicFile.write(fifo, out -> out.write(1)));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "the FIFO is still a FIFO");
        assertEquals("is a character device, not a regular file; name a file", AtomicFile.problem(Path.of("/dev/null")));
        assertEquals("is a folder, not a regular file; name a file", AtomicFile.problem(dir));
        assertNull(AtomicFile.problem(dir.resolve("new.json")));
        assertEquals("the folder " + dir.resolve("no") + " does not exist", AtomicFile.problem(dir.resolve("no/x")));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path file = Files.writeString(dir.resolve("data.png"), "good");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[10_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", AtomicFile.reason(e));
        assertEquals("good", Files.readString(file));
        assertEquals(List.of("data.png"), names());
        Path fresh = dir.resolve("loss.png");
        assertThrows(IOException.class, () -> AtomicFile.write(fresh, out -> {
            throw new IOException("this Java runtime has no PNG writer");
        }));
        assertEquals(List.of("data.png"), names(), "no empty file where the write failed");
    }

    @Test
    void aNewFileFollowsTheUmaskAndAReplacedOneKeepsItsPermissions() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path made = dir.resolve("made.json");
        AtomicFile.write(made, out -> out.write('x'));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(made),
                "the same permissions as any new file (the umask's), not 0600");
        Files.setPosixFilePermissions(made, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        AtomicFile.write(made, out -> out.write('y'));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(made, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void staleTemporaryFilesOfTheSameTargetAreRemoved() throws IOException {
        Path file = Files.writeString(dir.resolve("ck.txt"), "x");
        Files.writeString(dir.resolve(".ck.txt.3kd93jdk2.tmp"), "half");
        Files.writeString(dir.resolve(".other.txt.3kd93jdk2.tmp"), "someone else's");
        AtomicFile.removeStale(file);
        assertEquals(List.of(".other.txt.3kd93jdk2.tmp", "ck.txt"), names());
    }

    @Test
    void oneWriterHoldsTheLock() throws IOException {
        Path file = dir.resolve("ck.txt");
        try (AtomicFile.Lock first = AtomicFile.tryLock(file)) {
            assertNotNull(first);
            assertNull(AtomicFile.tryLock(file), "a second writer is refused");
        }
        try (AtomicFile.Lock again = AtomicFile.tryLock(file)) {
            assertNotNull(again, "free again once the first let go");
        }
        assertEquals(List.of(), names(), "the lock file goes with the lock");
    }
}
