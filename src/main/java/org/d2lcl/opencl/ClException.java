package org.d2lcl.opencl;

import org.jocl.CL;

/**
 * An OpenCL call that returned an error status. The message names the call, the {@code CL_...}
 * status and the device, e.g. {@code clEnqueueNDRangeKernel(matmul) failed: CL_INVALID_WORK_GROUP_SIZE
 * on pthread-haswell (Portable Computing Language)}.
 */
public class ClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;

    public ClException(String call, int status, String device) {
        this(call, status, device, "");
    }

    protected ClException(String call, int status, String device, String detail) {
        super(call + " failed: " + errorName(status) + (device == null ? "" : " on " + device) + detail);
        this.call = call;
        this.status = status;
    }

    /** The OpenCL function that failed, with the kernel or program it was called for in brackets. */
    public String call() {
        return call;
    }

    /** The raw OpenCL status code (negative). */
    public int status() {
        return status;
    }

    /** The status code's {@code CL_...} name. */
    public String errorName() {
        return errorName(status);
    }

    static String errorName(int status) {
        String name = CL.stringFor_errorCode(status);
        return name == null || name.startsWith("INVALID") ? "CL error " + status : name;
    }
}
