package org.d2lcl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM on the test class path, for what one JVM cannot check about itself: its resident
 * memory with a fixed heap, its heap peak under {@code -Xmx}, or surviving a {@code kill -9}.
 * Output goes to files in a folder of the caller's, so a chatty child never blocks on a full pipe.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * The class path a child needs to load the tests and the library: {@value #CLASS_PATH} where the
     * runner sets it (the bundle's {@code bin/d2l-cl-test}: JUnit's console launcher loads the tests
     * from a class path of its own, not {@code java.class.path}), else this JVM's class path.
     */
    public static final String CLASS_PATH = "d2lcl.test.classpath";

    static String classPath() {
        String set = System.getProperty(CLASS_PATH);
        return set != null && !set.isBlank() ? set : System.getProperty("java.class.path");
    }

    /** {@code java <jvmOptions> -cp <the tests' class path> <main> <args>}, output to {@code dir/out.txt, err.txt}. */
    public static ProcessBuilder builder(Path dir, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.awt.headless=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
    }

    /** What a finished child left: its exit code and its output. */
    public record Result(int exit, String out, String err) {
        /** For failure messages: everything the child said. */
        public String story() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a child to the end; kills it and fails after {@code timeoutSeconds}. */
    public static Result run(Path dir, List<String> jvmOptions, Class<?> main, List<String> args,
            long timeoutSeconds) {
        return run(dir, jvmOptions, main, args, Map.of(), timeoutSeconds);
    }

    /**
     * As {@link #run(Path, List, Class, List, long)}, with environment variables set in the child
     * (a null value removes the variable).
     */
    public static Result run(Path dir, List<String> jvmOptions, Class<?> main, List<String> args,
            Map<String, String> env, long timeoutSeconds) {
        try {
            ProcessBuilder builder = builder(dir, jvmOptions, main, args);
            env.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(main.getSimpleName() + " " + args + " still ran after " + timeoutSeconds
                        + " s; killed\n" + output(dir).story());
            }
            Result partial = output(dir);
            return new Result(process.exitValue(), partial.out(), partial.err());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The output so far of a child started with {@link #builder}; exit -1. */
    public static Result output(Path dir) {
        return new Result(-1, read(dir.resolve("out.txt")), read(dir.resolve("err.txt")));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
