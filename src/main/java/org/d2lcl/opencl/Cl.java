package org.d2lcl.opencl;

import org.jocl.CL;

/** Status checking shared by the OpenCL wrappers. */
final class Cl {
    static {
        // Errors are checked here, where the call's name is known, rather than by JOCL.
        CL.setExceptionsEnabled(false);
    }

    private Cl() {
    }

    static void check(int status, String call, ClDevice device) {
        if (status != CL.CL_SUCCESS) {
            throw new ClException(call, status, device == null ? null : device.toString());
        }
    }

    static void check(int[] status, String call, ClDevice device) {
        check(status[0], call, device);
    }
}
