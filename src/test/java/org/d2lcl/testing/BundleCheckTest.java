package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bundle's build check (pom.xml, profile {@code bundle}) runs, from the bundle, every test class
 * that starts a process of its own: a child JVM gets its class path differently there
 * ({@link ChildJvm#CLASS_PATH}), so those are the tests the bundle can break. A test class that starts
 * one and is missing from the list fails here. (Classes tagged {@code source-tree} or
 * {@code oclgrind} are left out of the bundle on purpose.)
 */
class BundleCheckTest {
    @Test
    @Tag("source-tree")
    void theBundleCheckRunsEveryTestThatStartsAProcess() throws IOException {
        List<String> checked = List.of(Pom.find("--include-classname=\\.\\*\\\\\\.\\(([^)]*)\\)",
                "pom.xml's bundle check names no test classes").split("\\|"));
        List<String> starting;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            starting = files.filter(p -> p.toString().endsWith("Test.java"))
                    .filter(p -> !p.endsWith("BundleCheckTest.java")).filter(BundleCheckTest::startsAProcess)
                    .map(p -> p.getFileName().toString().replace(".java", "")).sorted().toList();
        }
        assertTrue(starting.size() >= 10, "found only " + starting);
        List<String> missing = starting.stream().filter(name -> !checked.contains(name)).toList();
        assertEquals(List.of(), missing, "test classes that start a process but are not in the bundle's check");
    }

    private static boolean startsAProcess(Path file) {
        try {
            String text = Files.readString(file);
            boolean started = text.contains("ChildJvm.") || text.contains("new ProcessBuilder");
            boolean outsideBundle = text.contains("@Tag(\"oclgrind\")")
                    || text.matches("(?s).*@Tag\\(\"source-tree\"\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*class .*");
            return started && !outsideBundle;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
