package org.d2lcl.opencl;

/**
 * A program that failed to compile, or a kernel that could not be created from a built program;
 * the message names the call, the program, its build options and ends with the compiler's build log.
 */
public final class BuildException extends ClException {
    private static final long serialVersionUID = 1L;

    private final String log;

    BuildException(String file, int status, String device, String options, String log) {
        this("clBuildProgram(" + file + ")", status, device, options, log, "");
    }

    BuildException(String call, int status, String device, String options, String log, String hint) {
        super(call, status, device, hint + "\noptions: " + options + "\nbuild log:\n"
                + (log.isBlank() ? "(empty)" : log.strip()));
        this.log = log;
    }

    /** The compiler's log for the failed build. */
    public String log() {
        return log;
    }
}
