package org.d2lcl.opencl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The folders where the Linux dynamic linker looks for a library that {@code dlopen} names without
 * a path: {@code LD_LIBRARY_PATH}, the folders listed in {@code /etc/ld.so.conf} and the files it
 * includes (which is what {@code ld.so.cache} is built from), and the default folders.
 */
final class LinkerFolders {
    private static final List<String> DEFAULTS = List.of("/lib", "/lib64", "/usr/lib", "/usr/lib64");

    private LinkerFolders() {
    }

    /** The folders for this process: its {@code LD_LIBRARY_PATH} and the system's {@code /etc/ld.so.conf}. */
    static List<Path> ofThisSystem() {
        return of(System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.conf"));
    }

    /** The folders for a given {@code LD_LIBRARY_PATH} (may be null) and {@code ld.so.conf} (may be missing). */
    static List<Path> of(String ldLibraryPath, Path ldSoConf) {
        Set<Path> folders = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String entry : ldLibraryPath.split("[:;]")) {
                if (!entry.isBlank()) {
                    folders.add(Path.of(entry.strip()));
                }
            }
        }
        readConf(ldSoConf, folders, new LinkedHashSet<>());
        for (String folder : DEFAULTS) {
            folders.add(Path.of(folder));
        }
        return new ArrayList<>(folders);
    }

    /** Whether a file {@code name} (a symbolic link to one included) is in any of {@code folders}. */
    static boolean contain(List<Path> folders, String name) {
        for (Path folder : folders) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return true;
            }
        }
        return false;
    }

    /** Adds the folders of one ld.so.conf-style file; {@code include GLOB} lines are followed once each. */
    private static void readConf(Path conf, Set<Path> folders, Set<Path> seen) {
        if (!seen.add(conf.toAbsolutePath().normalize()) || !Files.isReadable(conf)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(conf);
        } catch (IOException e) {
            return;
        }
        for (String raw : lines) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty() || line.startsWith("hwcap ")) {
                continue;
            }
            if (line.startsWith("include ") || line.startsWith("include\t")) {
                for (String pattern : line.substring("include".length()).strip().split("\\s+")) {
                    for (Path included : glob(conf.getParent(), pattern)) {
                        readConf(included, folders, seen);
                    }
                }
                continue;
            }
            for (String folder : line.split("[\\s:,=]+")) {
                if (folder.startsWith("/")) {
                    folders.add(Path.of(folder));
                }
            }
        }
    }

    /**
     * The files a pattern such as {@code /etc/ld.so.conf.d/*.conf} matches, in name order; a
     * wildcard only in the last part.
     */
    private static List<Path> glob(Path base, String pattern) {
        Path p = Path.of(pattern);
        if (!p.isAbsolute() && base != null) {
            p = base.resolve(p);
        }
        Path folder = p.getParent();
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        List<Path> matches = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return matches;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, name)) {
            files.forEach(matches::add);
        } catch (IOException | RuntimeException e) {
            return matches;
        }
        matches.sort(null);
        return matches;
    }
}
