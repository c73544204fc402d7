package org.d2lcl.backend;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.d2lcl.opencl.ClDevice;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;

/** Choosing a device: by index, by a piece of its name or platform, or 'java'; a miss lists what there is. */
class BackendsTest {
    private final ClDevice device = TestDevice.get();
    private final List<ClDevice> devices = ClDevice.all();

    @Test
    void byIndexOrName() {
        assertSame(devices.get(device.index()), Backends.select(devices, Integer.toString(device.index())));
        assertSame(devices.get(device.index()), Backends.select(devices, " " + device.index() + " "));
        String piece = device.name().substring(0, Math.min(6, device.name().length())).toUpperCase(Locale.ROOT);
        assertTrue(Backends.select(devices, piece).name().toUpperCase(Locale.ROOT).contains(piece));
        String platform = device.platformName().toLowerCase(Locale.ROOT);
        assertTrue(Backends.select(devices, platform).platformName().equalsIgnoreCase(platform));
    }

    @Test
    void aMissListsTheDevices() {
        for (String spec : List.of("no-such-device", Integer.toString(devices.size()), "99999999999", "-1")) {
            DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                    () -> Backends.select(devices, spec));
            String m = e.getMessage();
            assertTrue(m.contains(spec), "'" + m + "' should name '" + spec + "'");
            assertTrue(m.contains("0 = '" + devices.get(0).name() + "'"), "'" + m + "' should list the devices");
        }
    }

    @Test
    void javaNeedsNoDevice() {
        try (Backend b = Backends.open("java", notice -> { })) {
            assertInstanceOf(JavaBackend.class, b);
        }
        try (Backend b = Backends.open(" JAVA ", notice -> { })) {
            assertInstanceOf(JavaBackend.class, b);
        }
    }

    @Test
    void aNamedDeviceOpensWithoutANotice() {
        List<String> notices = new ArrayList<>();
        try (Backend b = Backends.open(Integer.toString(device.index()), notices::add)) {
            assertInstanceOf(OpenClBackend.class, b);
            assertSame(device.index(), ((OpenClBackend) b).device().index());
        }
        assertTrue(notices.isEmpty(), notices.toString());
    }
}
