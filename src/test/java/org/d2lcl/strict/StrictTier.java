package org.d2lcl.strict;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.TestDevice;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The strict-device tier, run in a JVM of its own by {@link StrictDeviceTest}: every test tagged
 * {@code strict} on the one OpenCL device this JVM sees, which must be Oclgrind. Exit 0 when every
 * test passed and at least one ran; 1 when one failed; 3 when the device is not Oclgrind.
 *
 * <p>Oclgrind opens {@code OCLGRIND_LOG} anew (truncating it) for every OpenCL context, and writes
 * it out when the context is released. So after every test and every test class, what the log holds
 * that was not yet seen is appended, under the test's name, to the file named by the first
 * argument: the diagnostics of the whole run.
 */
public final class StrictTier {
    private StrictTier() {
    }

    /** Appends what Oclgrind's log gained since the last look to the run's diagnostics. */
    static final class LogCollector implements TestExecutionListener {
        private final Path log;
        private final Path diagnostics;
        private String seen = "";

        LogCollector(Path log, Path diagnostics) {
            this.log = log;
            this.diagnostics = diagnostics;
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            try {
                String now = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                // A shorter log, or one that does not extend what was seen, was truncated by a new context.
                String added = now.startsWith(seen) ? now.substring(seen.length()) : now;
                seen = now;
                if (!added.isBlank()) {
                    Files.writeString(diagnostics, "=== " + test.getDisplayName() + " (" + test.getUniqueId() + ")\n"
                            + added + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) {
        ClDevice device = TestDevice.get();
        if (!device.platformName().contains("Oclgrind")) {
            System.out.println("strict tier: the device is " + device + ", not Oclgrind");
            System.exit(3);
        }
        System.out.println("strict tier on " + device.description() + ", max work-group " + device.maxWorkGroupSize()
                + ", local memory " + device.localMemBytes() + " bytes");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("org.d2lcl"))
                .filters(TagFilter.includeTags("strict"))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener, new LogCollector(Path.of(System.getenv("OCLGRIND_LOG")), Path.of(args[0])));
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        summary.printFailuresTo(out, 20);
        out.printf("strict tier: %d tests, %d passed, %d failed%n", summary.getTestsStartedCount(),
                summary.getTestsSucceededCount(), summary.getTotalFailureCount());
        out.flush();
        System.exit(summary.getTotalFailureCount() > 0 || summary.getTestsSucceededCount() == 0 ? 1 : 0);
    }
}
