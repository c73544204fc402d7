package org.d2lcl.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code d2l-cl help [COMMAND]}: the help of d2l-cl or of one command. picocli's own help command
 * has {@code -h} but no {@code -V}; this one takes both, like every other command.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of d2l-cl, or of COMMAND.")
final class HelpCommand implements IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "The command whose help to show.")
    String command;

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter outWriter, PrintWriter errWriter) {
        self = helpCommandLine;
        colors = colorScheme;
        out = outWriter;
    }

    @Override
    public void run() {
        CommandLine parent = self.getParent();
        if (command == null) {
            parent.usage(out, colors);
            return;
        }
        CommandLine sub = parent.getSubcommands().get(command);
        if (sub == null) {
            throw new CommandLine.ParameterException(parent, Main.unknownCommand(command));
        }
        sub.usage(out, colors);
    }
}
