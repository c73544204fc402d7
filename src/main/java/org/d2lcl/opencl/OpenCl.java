package org.d2lcl.opencl;

/** Whether an OpenCL runtime is present, and what to install when it is not. */
public final class OpenCl {
    /** The Debian/Ubuntu packages that provide the ICD loader and a CPU device (PoCL). */
    public static final String INSTALL_COMMAND = "apt-get install -y pocl-opencl-icd ocl-icd-opencl-dev";

    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

    private OpenCl() {
    }

    /** True when JOCL and {@code libOpenCL.so} load. */
    public static boolean isAvailable() {
        try {
            requireRuntime();
            return true;
        } catch (OpenClUnavailableException e) {
            return false;
        }
    }

    static void requireRuntime() {
        if (loaded) {
            return;
        }
        synchronized (OpenCl.class) {
            if (loaded) {
                return;
            }
            if (loadFailure == null) {
                try {
                    org.jocl.CL.setExceptionsEnabled(false);
                    // Forces JOCL to load its native library and libOpenCL.so.
                    org.jocl.CL.clGetPlatformIDs(0, null, new int[1]);
                    loaded = true;
                    return;
                } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
                    loadFailure = e;
                }
            }
            throw new OpenClUnavailableException("no OpenCL runtime could be loaded (" + rootMessage(loadFailure)
                    + "); install one with: " + INSTALL_COMMAND, loadFailure);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.toString() : message.lines().findFirst().orElse(message);
    }
}
