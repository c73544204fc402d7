package org.d2lcl.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads {@code .cl} files packaged under {@code kernels/} on the class path. */
public final class KernelSource {
    private KernelSource() {
    }

    /**
     * The text of {@code kernels/<file>}; {@code file} may name a subfolder
     * ({@code "test/broken.cl"}).
     */
    public static String load(String file) {
        String path = "kernels/" + file;
        try (InputStream in = KernelSource.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no kernel file " + path + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }
}
