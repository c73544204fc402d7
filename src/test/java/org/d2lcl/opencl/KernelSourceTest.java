package org.d2lcl.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KernelSource}'s includes: every kernel of the library expands exactly as the regular
 * expression {@code (?m)^[ \t]*#include[ \t]+"([^"]+)"[ \t]*$} would expand it (the oracle below);
 * the line forms it takes and refuses (blanks, CRLF, a comment, {@code #include_next}); a loop and a
 * missing file are errors naming the file.
 */
class KernelSourceTest {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ \\t]*#include[ \\t]+\"([^\"]+)\"[ \\t]*$");

    /** The oracle: the expansion by the regular expression. */
    private static String byPattern(String file) {
        Matcher m = INCLUDE.matcher(raw(file));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(byPattern(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    private static String raw(String file) {
        try (InputStream in = KernelSourceTest.class.getClassLoader().getResourceAsStream("kernels/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library's kernels: kernels/*.cl in the main classes' folder. */
    static List<String> libraryKernels() throws IOException, URISyntaxException {
        Path folder = Path.of(KernelSource.class.getClassLoader().getResource("kernels/sgd.cl").toURI()).getParent();
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".cl")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraryKernels")
    void everyKernelExpandsAsThePatternWould(String file) {
        assertEquals(byPattern(file), KernelSource.load(file));
    }

    @Test
    void theLibraryHasKernelsThatInclude() throws IOException, URISyntaxException {
        assertTrue(libraryKernels().stream().anyMatch(f -> raw(f).contains("#include \"")),
                "the comparison above covers includes");
    }

    @Test
    void includeLinesAndLinesThatAreNot() {
        String inner = "float inner(void) { return 1.0f; }\n";
        String crlf = "// a file with CRLF line endings\r\n" + inner + "\r\nfloat crlf(void) { return 2.0f; }\r\n";
        String expected = "// outer: an include among other lines\n"
                + inner + "\n"
                + "float outer(void) { return inner(); }\n"
                + "// a comment naming #include \"test/include/inner.cl\" is text\n"
                + "#include_next \"test/include/inner.cl\"\n"
                + crlf + "\n";
        assertEquals(expected, KernelSource.load("test/include/outer.cl"));
        assertEquals(byPattern("test/include/outer.cl"), KernelSource.load("test/include/outer.cl"));
        assertFalse(KernelSource.load("test/include/crlf.cl").contains("#include"));
    }

    @Test
    void aLoopAndAMissingFileAreErrorsThatNameTheFile() {
        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                () -> KernelSource.load("test/include/loop-a.cl"));
        assertEquals("kernels/test/include/loop-a.cl includes itself through [test/include/loop-b.cl,"
                + " test/include/loop-a.cl]", loop.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KernelSource.load("test/include/none.cl"));
        assertEquals("no kernel file kernels/test/include/none.cl on the class path", missing.getMessage());
    }
}
