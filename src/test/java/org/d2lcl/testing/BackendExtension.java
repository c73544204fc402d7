package org.d2lcl.testing;

import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The backends of a test class that runs on both: an {@link OpenClBackend} on the
 * {@link TestDevice} and a {@link JavaBackend}, made on first use, shared by the class's tests and
 * closed after the last of them.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BackendExtension backends = new BackendExtension();
 * ... backends.openCl(), backends.java(), &#64;MethodSource of backends.both() ...
 * </pre>
 */
public final class BackendExtension implements AfterAllCallback {
    private OpenClBackend openCl;
    private JavaBackend java;

    /** The OpenCL backend on the test device, opened on first use. */
    public synchronized OpenClBackend openCl() {
        if (openCl == null) {
            openCl = new OpenClBackend(TestDevice.get());
        }
        return openCl;
    }

    /** The Java reference backend. */
    public synchronized JavaBackend java() {
        if (java == null) {
            java = new JavaBackend();
        }
        return java;
    }

    /** Both, named for the tests' display names: {@code OpenCL}, {@code Java}. */
    public Stream<Named<Backend>> both() {
        return Stream.of(named("OpenCL", openCl()), named("Java", java()));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        try {
            if (openCl != null) {
                openCl.close();
            }
        } finally {
            openCl = null;
            java = null;
        }
    }
}
