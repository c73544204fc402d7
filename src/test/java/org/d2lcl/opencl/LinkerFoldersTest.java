package org.d2lcl.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the dynamic linker looks for {@code libOpenCL.so}: the check that keeps JOCL from being
 * loaded (and printing on stdout) when the library is not there.
 */
class LinkerFoldersTest {
    @TempDir
    Path dir;

    @Test
    void followsLdLibraryPathThenTheConfAndItsIncludes() throws IOException {
        Path conf = dir.resolve("ld.so.conf");
        Path confD = Files.createDirectories(dir.resolve("ld.so.conf.d"));
        Files.writeString(conf, "# comment\ninclude ld.so.conf.d/*.conf\n/opt/first # trailing comment\n"
                + "include " + conf + "\n");
        Files.writeString(confD.resolve("b.conf"), "/opt/b1\n\n/opt/b2\n");
        Files.writeString(confD.resolve("a.conf"), "hwcap 0 nosegneg\n/opt/a\n");
        Files.writeString(confD.resolve("ignored.txt"), "/opt/ignored\n");

        List<Path> folders = LinkerFolders.of("/env/one::/env/two", conf);
        assertEquals(List.of("/env/one", "/env/two", "/opt/a", "/opt/b1", "/opt/b2", "/opt/first", "/lib", "/lib64",
                "/usr/lib", "/usr/lib64"), folders.stream().map(Path::toString).toList());
    }

    @Test
    void aMissingConfLeavesTheDefaults() {
        assertEquals(List.of(Path.of("/lib"), Path.of("/lib64"), Path.of("/usr/lib"), Path.of("/usr/lib64")),
                LinkerFolders.of(null, dir.resolve("absent.conf")));
    }

    @Test
    void findsTheLibraryThroughALinkButNotADanglingOne() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path linked = Files.createDirectories(dir.resolve("linked"));
        Path dangling = Files.createDirectories(dir.resolve("dangling"));
        Files.writeString(real.resolve("libOpenCL.so.1.0.0"), "ELF");
        Files.createSymbolicLink(linked.resolve("libOpenCL.so"), real.resolve("libOpenCL.so.1.0.0"));
        Files.createSymbolicLink(dangling.resolve("libOpenCL.so"), dir.resolve("nowhere.so"));

        assertTrue(LinkerFolders.contain(List.of(dangling, linked), "libOpenCL.so"));
        assertFalse(LinkerFolders.contain(List.of(dangling, real), "libOpenCL.so"), "only libOpenCL.so.1.0.0 there");
    }

    /** On a machine with a device the check must let JOCL load. */
    @Test
    void presentWhereTheTestsRun() {
        TestDevice.get();
        assertTrue(OpenCl.implementationPresent(), "libOpenCL.so should be found in " + LinkerFolders.ofThisSystem());
    }
}
