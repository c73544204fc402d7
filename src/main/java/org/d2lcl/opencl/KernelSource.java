package org.d2lcl.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads {@code .cl} files packaged under {@code kernels/} on the class path. A line
 * {@code #include "other.cl"} is replaced by that file's text, as a compiler given
 * {@code -I kernels} would do: programs are built from source strings, which have no folder to
 * search.
 */
public final class KernelSource {
    private static final String INCLUDE = "#include";
    /** Each file's expanded text, read once per process: a file built with several options is read once. */
    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();

    private KernelSource() {
    }

    /**
     * The text of {@code kernels/<file>} with its includes expanded; {@code file} may name a
     * subfolder ({@code "test/broken.cl"}). An include is a line of blanks (spaces, tabs),
     * {@code #include}, blanks, the file name in double quotes and blanks; the line is replaced by
     * the named file's text, its line ending kept.
     */
    public static String load(String file) {
        String text = LOADED.get(file);
        if (text == null) {
            text = expand(file, new ArrayDeque<>());
            LOADED.putIfAbsent(file, text);
        }
        return text;
    }

    /*
     * A scan for "#include" and a look at its line, not a regular expression: on a cold JVM the
     * pattern took 24 ms over linreg_epoch.cl and its include, the scan well under one.
     */
    private static String expand(String file, Deque<String> including) {
        if (including.contains(file)) {
            throw new IllegalArgumentException("kernels/" + file + " includes itself through " + including);
        }
        including.push(file);
        String text = read(file);
        StringBuilder out = null;
        int copied = 0;
        for (int at = text.indexOf(INCLUDE); at >= 0; at = text.indexOf(INCLUDE, at + INCLUDE.length())) {
            int start = lineStart(text, at);
            int end = lineEnd(text, at);
            String name = start < 0 ? null : includedName(text, at + INCLUDE.length(), end);
            if (name != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8192);
                }
                out.append(text, copied, start).append(expand(name, including));
                copied = end;
            }
        }
        including.pop();
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** The start of the line that holds {@code at}, or -1 when anything but blanks comes before it there. */
    private static int lineStart(String text, int at) {
        int i = at;
        while (i > 0 && isBlank(text.charAt(i - 1))) {
            i--;
        }
        return i == 0 || text.charAt(i - 1) == '\n' ? i : -1;
    }

    /** Where the line that holds {@code at} ends: its {@code \n}, or the {@code \r} of its {@code \r\n}, or the text's end. */
    private static int lineEnd(String text, int at) {
        int end = text.indexOf('\n', at);
        if (end < 0) {
            return text.length();
        }
        return end > at && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    /** The file {@code text[from, end)} names: blanks, {@code "NAME"}, blanks; null when it is not that. */
    private static String includedName(String text, int from, int end) {
        int i = from;
        while (i < end && isBlank(text.charAt(i))) {
            i++;
        }
        if (i == from || i >= end || text.charAt(i) != '"') {
            return null;
        }
        int close = text.indexOf('"', i + 1);
        if (close < 0 || close >= end || close == i + 1) {
            return null;
        }
        for (int j = close + 1; j < end; j++) {
            if (!isBlank(text.charAt(j))) {
                return null;
            }
        }
        return text.substring(i + 1, close);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
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
