package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the source tree's {@code pom.xml} says, for the tests tagged {@code source-tree}. */
public final class Pom {
    private Pom() {
    }

    /** Group 1 of the first match of {@code regex} in pom.xml; fails with {@code missing} where none. */
    public static String find(String regex, String missing) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of("pom.xml")));
            assertTrue(m.find(), missing);
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
