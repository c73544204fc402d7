package org.d2lcl.opencl;

/** Whether an OpenCL runtime is present, and what to install when it is not. */
public final class OpenCl {
    /**
     * The command that installs the ICD loader and a CPU device (PoCL) from the Debian/Ubuntu
     * packages, with {@code sudo} in front unless this process runs as root.
     */
    public static final String INSTALL_COMMAND =
            installCommand(readProcStatus(), System.getProperty("user.name"));

    /** {@code [sudo ]apt-get install ...}: root is the effective uid in /proc/self/status, else user.name. */
    static String installCommand(java.util.List<String> procStatus, String userName) {
        // A loop and a tokenizer, not a stream and a regular expression: this runs in every
        // command's start, where a cold JVM took about 10 ms for those.
        boolean root = "root".equals(userName);
        for (String line : procStatus) {
            if (line.startsWith("Uid:")) {
                java.util.StringTokenizer ids = new java.util.StringTokenizer(line.substring("Uid:".length()));
                String real = ids.hasMoreTokens() ? ids.nextToken() : "";
                root = (ids.hasMoreTokens() ? ids.nextToken() : real).equals("0");
                break;
            }
        }
        return (root ? "" : "sudo ") + "apt-get install -y pocl-opencl-icd ocl-icd-opencl-dev";
    }

    private static java.util.List<String> readProcStatus() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"));
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.List.of(); // not Linux
        }
    }

    /** The file JOCL opens on Linux. */
    static final String LIBRARY = "libOpenCL.so";

    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

    private OpenCl() {
    }

    /**
     * Loads the OpenCL runtime on a background thread, so that its start-up (JOCL's native library,
     * the ICD loader, every vendor's platform: about 0.1 s for PoCL, which loads LLVM) overlaps with
     * the caller's own: the command line's parsing, class loading, the data. The first thread that
     * needs the runtime waits for it ({@link #isAvailable} and every device query synchronise on
     * the same lock); a failure is kept and reported there, as without this call. The thread then
     * lists the devices once, so that the drivers' own start (PoCL's probe of the CPU's topology)
     * is behind it too; the list itself is made again where it is needed.
     */
    public static void loadInBackground() {
        Thread loader = new Thread(() -> {
            if (isAvailable()) {
                try {
                    ClDevice.all();
                } catch (RuntimeException e) {
                    // the thread that needs the devices lists them again, and reports what fails
                }
            }
        }, "d2l-cl OpenCL start-up");
        loader.setDaemon(true);
        loader.start();
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
            if (loadFailure == null && !implementationPresent()) {
                loadFailure = new UnsatisfiedLinkError(LIBRARY + " is in none of the folders the dynamic linker"
                        + " searches (LD_LIBRARY_PATH, /etc/ld.so.conf, /lib, /usr/lib)");
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

    /**
     * Whether JOCL can find the library it opens, asked before JOCL is loaded: when JOCL's native code
     * cannot open it, it prints {@code Could not load libOpenCL.so} on the process's stdout, which
     * would run into the program's own output. JOCL opens exactly {@value #LIBRARY} on Linux (not
     * {@code libOpenCL.so.1}, which is why {@code ocl-icd-opencl-dev} is needed); on other systems it
     * is asked directly.
     */
    static boolean implementationPresent() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return true;
        }
        return LinkerFolders.contain(LinkerFolders.ofThisSystem(), LIBRARY);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.toString() : message.lines().findFirst().orElse(message);
    }
}
