package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.d2lcl.backend.Backends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./d2l-cl} speaks as the jar does: the same no-OpenCL notice, a list of the
 * commands for a typo, and its own help naming {@code help COMMAND} and {@code COMMAND --help}.
 * Only what runs without building the jar.
 */
@Tag("source-tree")
class LauncherTest {
    @TempDir
    Path dir;

    private record Run(int exit, List<String> out, List<String> err) {
        String story() {
            return "exit " + exit + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n"
                    + String.join("\n", err);
        }
    }

    /** {@code bash ./d2l-cl ARGS} with PATH holding only {@code tools}, linked from /usr/bin or /bin. */
    private Run launcher(List<String> tools, String... args) throws Exception {
        return launcher(Path.of("."), tools, args);
    }

    /** {@code bash ROOT/d2l-cl ARGS}, as {@link #launcher(List, String...)}. */
    private Run launcher(Path root, List<String> tools, String... args) throws Exception {
        Path bin = Files.createTempDirectory(dir, "bin");
        for (String tool : tools) {
            Path usr = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(usr) ? usr : Path.of("/bin", tool));
        }
        List<String> command = new ArrayList<>(List.of("/bin/bash", root.resolve("d2l-cl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("PATH", bin.toString());
        pb.environment().remove("OCL_ICD_VENDORS");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "./d2l-cl " + String.join(" ", args) + " still ran after 60 s");
        return new Run(p.exitValue(), Files.readAllLines(dir.resolve("out.txt")),
                Files.readAllLines(dir.resolve("err.txt")));
    }

    private static final List<String> TEXT_TOOLS = List.of("dirname", "id", "sed", "awk");

    /** With no ldconfig (so no OpenCL) and no apt-get, the notice is the jar's, word for word. */
    @Test
    void noOpenClNoticeIsTheJars() throws Exception {
        Run r = launcher(List.of("dirname", "id", "grep"), "check");
        assertEquals(1, r.exit(), r.story());
        assertEquals(List.of("d2l-cl: " + Backends.NO_OPENCL, "d2l-cl: the check needs an OpenCL device"), r.err(),
                r.story());
    }

    @Test
    void unknownCommandListsTheCommands() throws Exception {
        String expected = "d2l-cl: unknown command 'trian'; the commands are: train, sweep, online, predict, convert,"
                + " devices, test, bench, bundle, check, notebook, help";
        Run typo = launcher(TEXT_TOOLS, "trian");
        assertEquals(2, typo.exit(), typo.story());
        assertEquals(List.of(expected), typo.err(), typo.story());
        Run help = launcher(TEXT_TOOLS, "help", "trian");
        assertEquals(List.of(expected), help.err(), help.story());
    }

    @Test
    void helpNamesTheWaysToOneCommandsHelp() throws Exception {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help"})) {
            Run r = launcher(TEXT_TOOLS, args);
            assertEquals(0, r.exit(), r.story());
            assertEquals(List.of(), r.err(), r.story());
            assertTrue(r.out().get(0).startsWith("d2l-cl — the launcher"), r.story());
            assertTrue(r.out().stream().anyMatch(l -> l.startsWith("  ./d2l-cl help COMMAND ")
                    && l.contains("./d2l-cl COMMAND --help")), r.story());
        }
    }

    @Test
    void notebookRefusesAnUnknownOptionInOneLine() throws Exception {
        Run r = launcher(TEXT_TOOLS, "notebook", "--exec");
        assertEquals(2, r.exit(), r.story());
        assertEquals(List.of("d2l-cl: notebook: unknown option '--exec' (allowed: --execute, --save)"), r.err(),
                r.story());
        Run help = launcher(TEXT_TOOLS, "help", "notebook");
        assertEquals(0, help.exit(), help.story());
        assertTrue(help.out().get(0).equals("  ./d2l-cl notebook [--execute [--save]]"), help.story());
    }

    @Test
    void theLaunchersOwnCommandsShowTheirLinesOfTheHelp() throws Exception {
        for (String[] args : List.of(new String[] {"help", "bench"}, new String[] {"bench", "--help"},
                new String[] {"bench", "-h"})) {
            Run r = launcher(TEXT_TOOLS, args);
            assertEquals(0, r.exit(), r.story());
            assertEquals(List.of("  ./d2l-cl bench [--quick] [JMH args]",
                    "                               run the JMH benchmarks (bench/), print the tables of docs/performance.md;",
                    "                               --quick: 1 fork, 3 half-second iterations (under 5 minutes)",
                    "  ./d2l-cl bench --peers [--rounds N]",
                    "                               the same workloads in NumPy and PyTorch (bench/peers/), interleaved with",
                    "                               d2l-cl's, in the loop and end to end (needs python3 with numpy)"),
                    r.out(), r.story());
        }
    }

    /**
     * The start-up archive: the jar's first run makes it, later runs use it, and one the JVM cannot
     * use (here: not an archive at all) is passed over without a word. The jar is a stand-in that
     * prints its arguments and whether it was started with an archive.
     */
    @Test
    void theJarStartsFromItsClassDataArchive() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.copy(Path.of("d2l-cl"), tree.resolve("d2l-cl"));
        Files.createDirectories(tree.resolve("src/main"));
        Files.createDirectories(tree.resolve("kernels"));
        Files.writeString(tree.resolve("pom.xml"), "");
        Path jar = Files.createDirectories(tree.resolve("target")).resolve("d2l-cl-0-cli.jar");
        ArchiveProbe.writeJar(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        List<String> tools = List.of("dirname", "id", "ls", "head", "find", "java", "mv", "rm", "cat", "grep");

        Run first = launcher(tree, tools, "train", "--epochs", "2");
        assertEquals(List.of("train --epochs 2 archive=true"), first.out(), first.story());
        assertEquals(List.of(), first.err(), first.story());
        Path jsa = tree.resolve("target/d2l-cl-0-cli.jsa");
        assertTrue(Files.size(jsa) > 0, first.story());

        Files.writeString(jsa, "not an archive");
        Files.setLastModifiedTime(jsa, FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        Run foreign = launcher(tree, tools, "devices");
        assertEquals(List.of("devices archive=true"), foreign.out(), foreign.story());
        assertEquals(List.of(), foreign.err(), foreign.story());
    }
}
