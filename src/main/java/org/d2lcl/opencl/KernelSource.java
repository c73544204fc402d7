package org.d2lcl.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@code .cl} files packaged under {@code kernels/} on the class path. A line
 * {@code #include "other.cl"} is replaced by that file's text, as a compiler given
 * {@code -I kernels} would do: programs are built from source strings, which have no folder to
 * search.
 */
public final class KernelSource {
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ \\t]*#include[ \\t]+\"([^\"]+)\"[ \\t]*$");

    private KernelSource() {
    }

    /**
     * The text of {@code kernels/<file>} with its includes expanded; {@code file} may name a
     * subfolder ({@code "test/broken.cl"}).
     */
    public static String load(String file) {
        return expand(file, new ArrayDeque<>());
    }

    private static String expand(String file, Deque<String> including) {
        if (including.contains(file)) {
            throw new IllegalArgumentException("kernels/" + file + " includes itself through " + including);
        }
        including.push(file);
        String text = read(file);
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(expand(m.group(1), including)));
        }
        m.appendTail(out);
        including.pop();
        return out.toString();
    }

    private static String read(String file) {
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
