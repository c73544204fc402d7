package org.d2lcl.opencl;

/** No OpenCL runtime could be loaded (no {@code libOpenCL.so}, or no ICD behind it). */
public final class OpenClUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OpenClUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
