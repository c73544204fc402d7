package org.d2lcl.opencl;

/**
 * A request that exceeds what the device allows (an allocation above
 * {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}, a missing capability), raised before any work is queued.
 */
public final class DeviceLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DeviceLimitException(String message) {
        super(message);
    }
}
