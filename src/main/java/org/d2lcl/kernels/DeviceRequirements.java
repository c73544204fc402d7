package org.d2lcl.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.opencl.DeviceLimitException;

/**
 * What the kernels need from a device, checked when an OpenCL backend opens, so that a device that
 * cannot run them is refused with its reasons instead of failing later with an opaque status:
 *
 * <ul>
 *   <li>{@code CL_DEVICE_AVAILABLE} and {@code CL_DEVICE_COMPILER_AVAILABLE}: the kernels are built
 *       from their {@code .cl} source at run time;
 *   <li>OpenCL C 1.2 or later ({@code CL_DEVICE_OPENCL_C_VERSION}): every program is built with
 *       {@code -cl-std=CL1.2};
 *   <li>{@value #LOCAL_MEM_BYTES} bytes of local memory ({@code CL_DEVICE_LOCAL_MEM_SIZE}, the
 *       embedded-profile minimum): {@code reduce.cl}'s tree at its largest work-group, 256 floats;
 *       {@code matmul.cl} shrinks its tiles to fit (see {@link Tuning#matmulTile}).
 * </ul>
 *
 * <p>Correctly rounded division is not required: without it a device may round {@code sgd}'s
 * {@code lr * g / batch_size} differently from Java in the last bit, and {@link ClDevice#correctlyRoundedDivide()}
 * says so.
 */
public final class DeviceRequirements {
    /** The least local memory the kernels fit in. */
    public static final long LOCAL_MEM_BYTES = 1024;

    private static final Pattern OPENCL_C = Pattern.compile("OpenCL C (\\d+)\\.(\\d+).*");

    private DeviceRequirements() {
    }

    /**
     * What the requirements look at, as a device reports it: taken from a {@link ClDevice}, or
     * written down to check a device that is not at hand.
     */
    public record Facts(String device, boolean available, boolean compilerAvailable, String openclCVersion,
            long localMemBytes) {
        public static Facts of(ClDevice device) {
            return new Facts(device.toString(), device.available(), device.compilerAvailable(),
                    device.openclCVersion(), device.localMemBytes());
        }
    }

    /** Every requirement {@code facts} does not meet, one phrase each; empty when the device will do. */
    public static List<String> unmet(Facts facts) {
        List<String> unmet = new ArrayList<>();
        if (!facts.available()) {
            unmet.add("it is not available (CL_DEVICE_AVAILABLE = false)");
        }
        if (!facts.compilerAvailable()) {
            unmet.add("it has no OpenCL C compiler (CL_DEVICE_COMPILER_AVAILABLE = false), and the kernels are"
                    + " built from source");
        }
        Matcher m = OPENCL_C.matcher(facts.openclCVersion());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1
                || Integer.parseInt(m.group(1)) == 1 && Integer.parseInt(m.group(2)) < 2) {
            unmet.add("it offers '" + facts.openclCVersion() + "' (CL_DEVICE_OPENCL_C_VERSION), and the kernels"
                    + " need OpenCL C 1.2 or later");
        }
        if (facts.localMemBytes() < LOCAL_MEM_BYTES) {
            unmet.add(String.format(Locale.ROOT, "it has %d bytes of local memory (CL_DEVICE_LOCAL_MEM_SIZE), and"
                    + " the kernels need %d", facts.localMemBytes(), LOCAL_MEM_BYTES));
        }
        return unmet;
    }

    /** Whether {@code device} meets every requirement. */
    public static boolean met(ClDevice device) {
        return unmet(Facts.of(device)).isEmpty();
    }

    /** @throws DeviceLimitException listing every unmet requirement of {@code facts} */
    public static void check(Facts facts) {
        List<String> unmet = unmet(facts);
        if (!unmet.isEmpty()) {
            throw new DeviceLimitException("device " + facts.device() + " cannot run the d2l-cl kernels: "
                    + String.join("; ", unmet) + ". Choose another device (see 'd2l-cl devices') or 'java'");
        }
    }
}
