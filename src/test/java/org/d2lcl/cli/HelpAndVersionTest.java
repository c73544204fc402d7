package org.d2lcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.d2lcl.testing.Pom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command takes {@code -h/--help} and {@code -V/--version} and exits 0, saying nothing on
 * stderr; the version is the artifact's; an unknown command is answered with the list of commands.
 */
class HelpAndVersionTest {
    /** Every command, "" being {@code d2l-cl} itself. */
    static final List<String> COMMANDS = List.of("", "train", "sweep", "online", "predict", "convert", "devices",
            "help");

    private static Cli run(String command, String option) {
        return command.isEmpty() ? Cli.run(option) : Cli.run(command, option);
    }

    @Test
    void everyCommandIsTested() {
        assertEquals(COMMANDS.subList(1, COMMANDS.size()),
                List.copyOf(subcommands()));
    }

    /** A command line naming a command adds that one alone; help, an unknown name or none adds them all. */
    @Test
    void aCommandLineAddsTheCommandItNames() {
        for (String command : COMMANDS.subList(1, COMMANDS.size() - 1)) {
            assertEquals(List.of(command), List.copyOf(subcommands(command, "--epochs", "3")), command);
        }
        for (String[] all : new String[][] {{}, {"help", "train"}, {"nope"}, {"-V"}, {"--epochs", "3"}}) {
            assertEquals(COMMANDS.subList(1, COMMANDS.size()), List.copyOf(subcommands(all)), String.join(" ", all));
        }
    }

    private static java.util.Set<String> subcommands(String... args) {
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        return Main.commandLine(sink, sink, args).getSubcommands().keySet();
    }

    /** Every command takes -h, --help, -V and --version: exit 0, nothing on stderr, its usage or the version. */
    @ParameterizedTest(name = "d2l-cl COMMAND {0}")
    @ValueSource(strings = {"-h", "--help", "-V", "--version"})
    void everyCommandShowsItsHelpAndTheArtifactVersion(String option) {
        boolean help = option.startsWith("-h") || option.equals("--help");
        for (String command : COMMANDS) {
            Cli r = run(command, option);
            assertEquals(0, r.exit(), r.story());
            assertEquals("", r.err(), r.story());
            if (help) {
                String usage = "Usage: d2l-cl" + (command.isEmpty() ? "" : " " + command) + " [-h";
                assertTrue(r.out().startsWith(usage), "'" + command + " " + option + "' should start with " + usage
                        + "\n" + r.story());
                assertTrue(r.out().contains("-V, --version"), r.story());
            } else {
                assertEquals(List.of("d2l-cl " + Version.get()), r.outLines(), "'" + command + " " + option + "'");
            }
        }
    }

    @Test
    void helpCommandShowsTheSameAsTheCommandsOwnHelp() {
        for (String command : COMMANDS.subList(1, COMMANDS.size())) {
            Cli viaHelp = Cli.run("help", command);
            assertEquals(0, viaHelp.exit(), viaHelp.story());
            assertEquals(Cli.run(command, "--help").out(), viaHelp.out(), "help " + command);
        }
    }

    @Test
    void unknownCommandListsTheCommands() {
        String expected = "d2l-cl: unknown command 'trian'; the commands are: train, sweep, online, predict, convert,"
                + " devices, help";
        for (Cli r : List.of(Cli.run("trian", "--epochs", "3"), Cli.run("help", "trian"))) {
            assertEquals(Main.BAD_INPUT, r.exit(), r.story());
            assertEquals("", r.out(), r.story());
            assertEquals(List.of(expected), r.errLines(), r.story());
        }
    }

    /** The version Maven wrote is pom.xml's, not a placeholder or a number typed twice. */
    @Test
    @Tag("source-tree")
    void versionIsThePomsVersion() throws Exception {
        assertEquals(Pom.find("<artifactId>d2l-cl</artifactId>\\s*<version>([^<]+)</version>",
                "pom.xml names the artifact's version"), Version.get());
    }
}
