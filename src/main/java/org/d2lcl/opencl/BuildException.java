package org.d2lcl.opencl;

/** A program that failed to compile; the message ends with the compiler's build log. */
public final class BuildException extends ClException {
    private static final long serialVersionUID = 1L;

    private final String log;

    BuildException(String file, int status, String device, String options, String log) {
        super("clBuildProgram(" + file + ")", status, device,
                "\noptions: " + options + "\nbuild log:\n" + log.strip());
        this.log = log;
    }

    /** The compiler's log for the failed build. */
    public String log() {
        return log;
    }
}
