package org.d2lcl.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.d2lcl.data.AtomicFile;
import org.d2lcl.opencl.ClDevice;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report of {@code d2l-cl check} (the repository's launcher and the bundle's {@code bin/d2l-cl-check}):
 * the device, the test suite's counts from JUnit's XML reports, and each benchmark of the quick set
 * with its ratio to the same run's copy bandwidth, as {@code report.md} and {@code report.json}.
 *
 * <pre>java -cp benchmarks.jar org.d2lcl.bench.CheckReport OUT_DIR JUNIT_DIR TESTS_EXIT [bench.json ...]</pre>
 *
 * The device is the one the tests and benchmarks ran on ({@code D2LCL_DEVICE}, else the default).
 */
public final class CheckReport {
    private CheckReport() {
    }

    /** The counts of JUnit's {@code TEST-*.xml} reports. */
    record Tests(int total, int failed, int errors, int skipped, List<String> failures, int exit) {
        int passed() {
            return total - failed - errors - skipped;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CheckReport OUT_DIR JUNIT_DIR TESTS_EXIT [bench.json ...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Tests tests = tests(Path.of(args[1]), Integer.parseInt(args[2]));
        BenchTable bench = new BenchTable();
        for (int i = 3; i < args.length; i++) {
            if (Files.isRegularFile(Path.of(args[i]))) {
                bench.read(Path.of(args[i]));
            }
        }
        ClDevice device = BenchSupport.device();
        Map<String, Object> report = report(device, tests, bench);
        write(out.resolve("report.json"), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(report) + "\n");
        write(out.resolve("report.md"), markdown(report));
        System.out.print(markdown(report));
        System.exit(tests.exit() == 0 && tests.failed() + tests.errors() == 0 && tests.total() > 0 ? 0 : 1);
    }

    static Tests tests(Path dir, int exit) throws Exception {
        int total = 0;
        int failed = 0;
        int errors = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        for (Path file : files) {
            NodeList cases = factory.newDocumentBuilder().parse(file.toFile()).getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                total++;
                String name = c.getAttribute("classname") + " " + c.getAttribute("name");
                if (c.getElementsByTagName("failure").getLength() > 0) {
                    failed++;
                    failures.add(name);
                } else if (c.getElementsByTagName("error").getLength() > 0) {
                    errors++;
                    failures.add(name);
                } else if (c.getElementsByTagName("skipped").getLength() > 0) {
                    skipped++;
                }
            }
        }
        return new Tests(total, failed, errors, skipped, failures, exit);
    }

    static Map<String, Object> report(ClDevice device, Tests tests, BenchTable bench) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        report.put("library", CheckReport.class.getPackage().getImplementationVersion());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", device.name());
        d.put("platform", device.platformName());
        d.put("type", device.type().toString());
        d.put("driver", device.driverVersion());
        d.put("opencl", device.version());
        d.put("openclC", device.openclCVersion());
        d.put("computeUnits", device.computeUnits());
        d.put("maxWorkGroupSize", device.maxWorkGroupSize());
        d.put("localMemBytes", device.localMemBytes());
        d.put("globalMemBytes", device.globalMemBytes());
        report.put("device", d);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("total", tests.total());
        t.put("passed", tests.passed());
        t.put("failed", tests.failed() + tests.errors());
        t.put("skipped", tests.skipped());
        t.put("runnerExit", tests.exit());
        t.put("failures", tests.failures().subList(0, Math.min(50, tests.failures().size())));
        report.put("tests", t);
        double copy = bench.value("copy", "33554432", "ours");
        report.put("copyGBs", Double.isNaN(copy) ? null : copy);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BenchTable.Measured m : bench.measured()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("benchmark", m.method());
            r.put("size", m.size());
            r.put("impl", m.impl());
            r.put("medianMicros", m.micros());
            r.put("value", m.value());
            r.put("unit", m.unit().label);
            r.put("ratioToCopy", m.unit() == Work.Unit.BYTES && !Double.isNaN(copy) ? m.value() / copy : null);
            rows.add(r);
        }
        report.put("benchmarks", rows);
        return report;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        Map<String, Object> d = (Map<String, Object>) report.get("device");
        Map<String, Object> t = (Map<String, Object>) report.get("tests");
        StringBuilder s = new StringBuilder();
        s.append("# d2l-cl check: ").append(d.get("name")).append("\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| date | ").append(report.get("date")).append(" |\n");
        for (String k : List.of("name", "platform", "type", "driver", "opencl", "openclC", "computeUnits",
                "maxWorkGroupSize", "localMemBytes", "globalMemBytes")) {
            s.append("| ").append(k).append(" | ").append(d.get(k)).append(" |\n");
        }
        s.append(String.format(Locale.ROOT, "%n## Tests%n%n%s passed, %s failed, %s skipped (of %s; runner exit %s)%n",
                t.get("passed"), t.get("failed"), t.get("skipped"), t.get("total"), t.get("runnerExit")));
        for (Object f : (List<Object>) t.get("failures")) {
            s.append("- failed: ").append(f).append('\n');
        }
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("benchmarks");
        s.append("\n## Benchmarks\n\n");
        if (rows.isEmpty()) {
            s.append("Not run.\n");
        } else {
            s.append("Medians of the quick set; ratios to this run's copy bandwidth (")
                    .append(fmt((Double) report.get("copyGBs"))).append(" GB/s).\n\n");
            s.append("| benchmark | size | impl | median | ratio to copy |\n|---|---|---|---:|---:|\n");
            for (Map<String, Object> r : rows) {
                s.append("| ").append(r.get("benchmark")).append(" | ").append(r.get("size")).append(" | ")
                        .append(r.get("impl")).append(" | ").append(fmt((Double) r.get("value"))).append(' ')
                        .append(r.get("unit")).append(" | ")
                        .append(r.get("ratioToCopy") == null ? "" : fmt((Double) r.get("ratioToCopy")) + "×")
                        .append(" |\n");
            }
        }
        return s.toString();
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "—" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3g", v);
    }

    /** Replaced whole, as every file the library writes ({@link AtomicFile}). */
    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
