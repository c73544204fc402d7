package org.d2lcl.backend;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.d2lcl.kernels.DeviceRequirements;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.OpenCl;

/**
 * Chooses where kernels run. A device is named by its index in {@link ClDevice#all()}, by a
 * case-insensitive substring of its name or platform, or by {@code java} for the reference
 * backend. With no name (and no {@value #ENV} variable) the first GPU is taken, else the first CPU
 * device, else any OpenCL device, skipping devices that lack what the kernels need
 * ({@link DeviceRequirements}); with no OpenCL runtime or no capable device, the Java backend, with
 * a notice.
 */
public final class Backends {
    /** Environment variable read when no device is named. */
    public static final String ENV = "D2LCL_DEVICE";

    /**
     * The one wording of the notice for a machine with no OpenCL device (no runtime, or a runtime
     * that lists none); the launcher {@code ./d2l-cl} says the same. The command comes last, to be
     * copied, with {@code sudo} unless this process runs as root.
     */
    public static final String NO_OPENCL = "no OpenCL device found; to install one, run: " + OpenCl.INSTALL_COMMAND;

    /** The notice when the default device is the Java backend for want of OpenCL. */
    static final String JAVA_FALLBACK = "d2l-cl: running on the Java reference backend: " + NO_OPENCL;

    private Backends() {
    }

    /** Whether {@code spec} (a {@code --device} value, or null) names the Java backend: {@code java}, in any case. */
    public static boolean isJava(String spec) {
        return spec != null && spec.strip().equalsIgnoreCase("java");
    }

    /**
     * Opens the backend {@code spec} names, or the default when {@code spec} is null or blank.
     *
     * @param notice receives a one-line notice when the Java backend is chosen for want of OpenCL
     * @throws DeviceNotFoundException when {@code spec} names no device; the message lists those there are
     */
    public static Backend open(String spec, Consumer<String> notice) {
        if (spec != null && spec.isBlank()) {
            throw new DeviceNotFoundException("device '" + spec + "': an empty name matches no device; give an index"
                    + " or a name from 'd2l-cl devices', or 'java' (leave the option out for the default)");
        }
        if (spec == null) {
            String env = System.getenv(ENV);
            spec = env == null || env.isBlank() ? null : env;
        }
        spec = spec == null ? null : spec.strip();
        if (isJava(spec)) {
            return new JavaBackend();
        }
        if (!OpenCl.isAvailable()) {
            if (spec != null) {
                throw new DeviceNotFoundException("device '" + spec + "': only 'java' is available: " + NO_OPENCL);
            }
            notice.accept(JAVA_FALLBACK);
            return new JavaBackend();
        }
        List<ClDevice> devices = ClDevice.all();
        ClDevice device;
        if (spec == null) {
            if (devices.isEmpty()) {
                notice.accept(JAVA_FALLBACK);
                return new JavaBackend();
            }
            device = defaultDevice(devices);
            if (!DeviceRequirements.met(device)) {
                notice.accept("d2l-cl: no OpenCL device can run the kernels (" + unmetSummary(devices)
                        + "); running on the Java reference backend");
                return new JavaBackend();
            }
        } else {
            device = select(devices, spec);
        }
        if (!device.correctlyRoundedDivide()) {
            notice.accept("d2l-cl: " + device + " has no correctly rounded division"
                    + " (CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT): sgd may differ from the Java reference in the last bit");
        }
        OpenClBackend backend = new OpenClBackend(device);
        backend.context().onSlowBuild(notice);
        return backend;
    }

    /**
     * The first GPU, else the first CPU, else the first device, among those that meet the
     * {@link DeviceRequirements}; the first of all when none does.
     */
    public static ClDevice defaultDevice(List<ClDevice> devices) {
        for (ClDevice.Type type : new ClDevice.Type[] {ClDevice.Type.GPU, ClDevice.Type.CPU, null}) {
            for (ClDevice device : devices) {
                if ((type == null || device.type() == type) && DeviceRequirements.met(device)) {
                    return device;
                }
            }
        }
        return devices.get(0);
    }

    private static String unmetSummary(List<ClDevice> devices) {
        StringBuilder sb = new StringBuilder();
        for (ClDevice device : devices) {
            sb.append(sb.length() == 0 ? "" : "; ").append(device).append(": ")
                    .append(String.join(", ", DeviceRequirements.unmet(DeviceRequirements.Facts.of(device))));
        }
        return sb.toString();
    }

    /** The device {@code spec} names: an index, or a substring of the device or platform name. */
    public static ClDevice select(List<ClDevice> devices, String spec) {
        String s = spec.strip();
        if (s.matches("\\d+")) {
            // Any run of digits is an index, also one too long for an int.
            if (s.length() < 10 && Integer.parseInt(s) < devices.size()) {
                return devices.get(Integer.parseInt(s));
            }
            throw new DeviceNotFoundException("device index " + s + ": the index must be between 0 and "
                    + (devices.size() - 1) + "; " + list(devices));
        }
        String needle = s.toLowerCase(Locale.ROOT);
        for (ClDevice device : devices) {
            if (device.name().toLowerCase(Locale.ROOT).contains(needle)
                    || device.platformName().toLowerCase(Locale.ROOT).contains(needle)) {
                return device;
            }
        }
        throw new DeviceNotFoundException("device '" + s + "' matches no device name or platform; "
                + list(devices) + ", or 'java'");
    }

    private static String list(List<ClDevice> devices) {
        if (devices.isEmpty()) {
            return "there are no OpenCL devices";
        }
        StringBuilder sb = new StringBuilder("the devices are:");
        for (ClDevice device : devices) {
            sb.append(' ').append(device.index()).append(" = '").append(device.name()).append("' (")
                    .append(device.platformName()).append(')').append(device.index() < devices.size() - 1 ? "," : "");
        }
        return sb.toString();
    }
}
