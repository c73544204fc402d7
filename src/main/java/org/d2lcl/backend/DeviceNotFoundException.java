package org.d2lcl.backend;

/** A device name or index that matches no device; the message lists the devices there are. */
public final class DeviceNotFoundException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DeviceNotFoundException(String message) {
        super(message);
    }
}
