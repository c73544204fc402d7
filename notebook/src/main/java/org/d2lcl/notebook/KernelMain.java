package org.d2lcl.notebook;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel's entry point, as kernel.json starts it: {@code java -jar d2l-cl-kernel.jar CONNECTION_FILE},
 * the file Jupyter writes with the ports and the signing key. Cells compile against this JVM's class path.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /** Serves one notebook until Jupyter shuts the kernel down. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("d2l-cl-kernel: expected one argument, the connection file Jupyter writes; got "
                    + args.length);
            System.exit(2);
        }
        String connection;
        try {
            connection = Files.readString(Path.of(args[0]));
        } catch (NoSuchFileException e) {
            System.err.println("d2l-cl-kernel: connection file '" + args[0] + "' not found");
            System.exit(2);
            return;
        }
        JupyterConnection jupyter = new JupyterConnection(KernelConnectionProperties.parse(connection));
        JavaKernel kernel = JavaKernel.create(System.getProperty("java.class.path"));
        kernel.onStartup();
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
    }
}
