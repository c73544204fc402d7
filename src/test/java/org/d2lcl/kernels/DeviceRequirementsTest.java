package org.d2lcl.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.d2lcl.kernels.DeviceRequirements.Facts;
import org.d2lcl.opencl.DeviceLimitException;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;

/**
 * A device that lacks what the kernels need is refused with its reasons. The devices that lack
 * them are not at hand, so their descriptions are written down; the device under test must pass.
 */
class DeviceRequirementsTest {
    private static final Facts CAPABLE = new Facts("#3 Some GPU (Vendor)", true, true, "OpenCL C 1.2 vendor", 32768);

    @Test
    void theTestDeviceMeetsThem() {
        Facts facts = Facts.of(TestDevice.get());
        assertEquals(List.of(), DeviceRequirements.unmet(facts), facts.toString());
    }

    @Test
    void aCapableDescriptionMeetsThem() {
        assertEquals(List.of(), DeviceRequirements.unmet(CAPABLE));
        assertEquals(List.of(), DeviceRequirements.unmet(new Facts("d", true, true, "OpenCL C 3.0 x", 1024)));
    }

    @Test
    void noCompiler() {
        List<String> unmet = DeviceRequirements.unmet(new Facts("d", true, false, "OpenCL C 1.2", 32768));
        assertEquals(1, unmet.size(), unmet.toString());
        assertTrue(unmet.get(0).contains("no OpenCL C compiler (CL_DEVICE_COMPILER_AVAILABLE = false)"), unmet.get(0));
    }

    @Test
    void notAvailable() {
        List<String> unmet = DeviceRequirements.unmet(new Facts("d", false, true, "OpenCL C 1.2", 32768));
        assertEquals(List.of("it is not available (CL_DEVICE_AVAILABLE = false)"), unmet);
    }

    @Test
    void openClC11() {
        List<String> unmet = DeviceRequirements.unmet(new Facts("d", true, true, "OpenCL C 1.1 old", 32768));
        assertEquals(List.of("it offers 'OpenCL C 1.1 old' (CL_DEVICE_OPENCL_C_VERSION), and the kernels need OpenCL"
                + " C 1.2 or later"), unmet);
    }

    @Test
    void tooLittleLocalMemory() {
        List<String> unmet = DeviceRequirements.unmet(new Facts("d", true, true, "OpenCL C 2.0", 512));
        assertEquals(List.of("it has 512 bytes of local memory (CL_DEVICE_LOCAL_MEM_SIZE), and the kernels need"
                + " 1024"), unmet);
    }

    @Test
    void refusalNamesTheDeviceEveryReasonAndWhatToDo() {
        Facts facts = new Facts("#1 Tiny DSP (Embedded)", true, false, "OpenCL C 1.0", 256);
        DeviceLimitException e = assertThrows(DeviceLimitException.class, () -> DeviceRequirements.check(facts));
        String m = e.getMessage();
        for (String fragment : new String[] {"device #1 Tiny DSP (Embedded) cannot run the d2l-cl kernels",
            "CL_DEVICE_COMPILER_AVAILABLE", "'OpenCL C 1.0'", "256 bytes of local memory",
            "Choose another device (see 'd2l-cl devices') or 'java'"}) {
            assertTrue(m.contains(fragment), () -> "missing '" + fragment + "' in: " + m);
        }
    }

    @Test
    void theLocalMemoryFloorHoldsEveryKernelAtItsTunedSize() {
        // reduce.cl's tree at WG 256 and matmul.cl's two tiles after Tuning shrinks them to fit.
        assertTrue(256 * Float.BYTES <= DeviceRequirements.LOCAL_MEM_BYTES);
        assertTrue(2 * 8 * 8 * Float.BYTES <= DeviceRequirements.LOCAL_MEM_BYTES);
    }
}
