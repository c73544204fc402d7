package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.d2lcl.backend.DeviceNotFoundException;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void javaIsTheReferenceBackend() {
        try (Device dev = Device.open("java")) {
            assertFalse(dev.isOpenCl());
            assertEquals("Java reference backend (CPU, no OpenCL)", dev.toString());
        }
    }

    @Test
    void anOpenClDeviceSaysWhatItIs() {
        try (Device dev = Device.of(new OpenClBackend(TestDevice.get()))) {
            assertTrue(dev.isOpenCl());
            assertEquals(TestDevice.get().description(), dev.description());
        }
    }

    @Test
    void aNameThatMatchesNothingListsTheDevices() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class, () -> Device.open("no-such-device"));
        assertTrue(e.getMessage().startsWith("device 'no-such-device' matches no device name or platform; "),
                e.getMessage());
    }
}
