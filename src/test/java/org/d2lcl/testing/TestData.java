package org.d2lcl.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The committed datasets under {@code data/}, reached through the class path (also from the bundle). */
public final class TestData {
    private TestData() {
    }

    /**
     * {@code data/diabetes.csv} (scikit-learn's diabetes data, 442 rows, 10 features and the label
     * {@code progression}) copied to {@code dir}.
     */
    public static Path diabetes(Path dir) {
        return copy("diabetes.csv", dir);
    }

    private static Path copy(String name, Path dir) {
        try (InputStream in = TestData.class.getResourceAsStream("/data/" + name)) {
            assertNotNull(in, "data/" + name + " is not on the test class path");
            Path file = dir.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
