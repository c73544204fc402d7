package org.d2lcl.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.d2lcl.TrainingDivergedException;
import org.d2lcl.backend.Backends;
import org.d2lcl.opencl.ClException;
import org.d2lcl.opencl.OpenCl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code d2l-cl}: the command line. Exit codes: 0 success, 1 a device or internal failure,
 * 2 bad input (one line naming the value and what is allowed), 3 training diverged.
 */
@Command(name = "d2l-cl", description = "Linear regression from scratch (d2l.ai), every step an OpenCL kernel.",
        // Inherited by every subcommand: --help and -V (the artifact's version) on each.
        scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Version.class)
public final class Main {
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code when the loss became infinite or NaN. */
    public static final int DIVERGED = 3;

    public static void main(String[] args) {
        // Plots are drawn off-screen; without this AWT would look for a display.
        System.setProperty("java.awt.headless", "true");
        if (usesDevice(args, System.getenv(Backends.ENV))) {
            OpenCl.loadInBackground();
        }
        System.exit(run(args, StandardOutput.open(), new PrintWriter(System.err, true)));
    }

    /**
     * The subcommands, in the order help lists them. Picocli reads a command's annotations when it is
     * added, about 30 ms each on a cold JVM, so a command line that names one adds that one alone
     * ({@link #commandLine(PrintWriter, PrintWriter, String[])}).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("train", TrainCommand::new);
        commands.put("sweep", SweepCommand::new);
        commands.put("online", OnlineCommand::new);
        commands.put("predict", PredictCommand::new);
        commands.put("convert", ConvertCommand::new);
        commands.put("devices", DevicesCommand::new);
        commands.put("help", HelpCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    private static final Set<String> DEVICE_COMMANDS = Set.of("train", "sweep", "online", "predict", "devices");
    private static final Set<String> HELP_OR_VERSION = Set.of("-h", "--help", "-V", "--version");

    /**
     * Whether the command line will open an OpenCL device: a command that trains or lists devices,
     * without {@code --device java} (or {@code $D2LCL_DEVICE=java}) and without {@code --help} or
     * {@code -V}. A guess made before parsing, for {@link OpenCl#loadInBackground}: a wrong one
     * costs a little CPU, never a result.
     */
    static boolean usesDevice(String[] args, String deviceEnv) {
        if (args.length == 0 || !DEVICE_COMMANDS.contains(args[0])) {
            return false;
        }
        String device = deviceEnv;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (HELP_OR_VERSION.contains(a)) {
                return false;
            }
            if (a.equals("--device") && i + 1 < args.length) {
                device = args[i + 1];
            } else if (a.startsWith("--device=")) {
                device = a.substring("--device=".length());
            }
        }
        return !Backends.isJava(device);
    }

    /**
     * Runs the command line with the given streams and returns the exit code (for tests). A failed
     * write to {@code out} is exit code 1 and one line, {@code d2l-cl: cannot write to standard
     * output: REASON}, as GNU coreutils say it; a closed pipe ({@code | head}) is exit code 141 and
     * nothing said, as for a program SIGPIPE stopped.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err, args);
        int code = cli.execute(args);
        String failure = StandardOutput.failure(out);
        if (failure != null && code != 1 && code != StandardOutput.BROKEN_PIPE) {
            return new StandardOutput.Failed(failure).report(err);
        }
        return code;
    }

    /** {@code unknown command 'NAME'; the commands are: train, sweep, online, predict, convert, devices, help}. */
    static String unknownCommand(String name) {
        return "unknown command '" + name + "'; the commands are: " + String.join(", ", COMMANDS.keySet());
    }

    /** The command line with every subcommand (for help, completion and tests). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The command line for {@code args}: with the one subcommand {@code args[0]} names, or with all
     * of them where it names none, or {@code help}, which needs them all. Either parses {@code args}
     * alike.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        CommandLine cli = new CommandLine(new Main());
        boolean one = args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help");
        for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
            if (!one || command.getKey().equals(args[0])) {
                cli.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, unused) -> {
            String message = e.getMessage();
            if (e instanceof UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                message = unknownCommand(u.getUnmatched().get(0));
            }
            e.getCommandLine().getErr().println("d2l-cl: " + message);
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter w = command.getErr();
            boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (e instanceof IllegalArgumentException || e instanceof TrainingDivergedException) {
                w.println("d2l-cl: " + e.getMessage());
                if (verbose) {
                    e.printStackTrace(w);
                }
                return e instanceof TrainingDivergedException ? DIVERGED : BAD_INPUT;
            }
            if (e instanceof StandardOutput.Failed failed) {
                return failed.report(w);
            }
            if (e instanceof ClException) {
                w.println("d2l-cl: OpenCL error: " + e.getMessage());
            } else {
                w.println("d2l-cl: " + e);
            }
            if (verbose) {
                e.printStackTrace(w);
            }
            return 1;
        });
        return cli;
    }
}
