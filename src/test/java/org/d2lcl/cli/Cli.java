package org.d2lcl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One run of the command line, in process, through {@link Main#run}: its exit code and both streams. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(args, o, e);
        }
        return new Cli(exit, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** What a failed assertion shows: the arguments' result in full. */
    String story() {
        return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
