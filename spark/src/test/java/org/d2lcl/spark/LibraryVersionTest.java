package org.d2lcl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The module builds against the library of this repository: spark/pom.xml's d2l-cl.version is the root pom's version. */
class LibraryVersionTest {
    @Test
    void theModuleUsesTheLibraryOfThisRepository() throws Exception {
        String pom = Files.readString(Path.of(System.getProperty("d2lcl.pom")));
        Matcher m = Pattern.compile("<artifactId>d2l-cl</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertEquals(true, m.find(), "the root pom names its artifact and version");
        assertEquals(m.group(1), System.getProperty("d2lcl.version"),
                "spark/pom.xml's d2l-cl.version must follow the root pom's version");
    }
}
