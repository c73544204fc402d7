/**
 * Internal: thin owned wrappers over JOCL ({@code Context}, {@code Queue}, {@code Program},
 * {@code Kernel}, {@code Buffer}): every native object has one Java owner that releases it on
 * {@code close()}, and every failing OpenCL call becomes an exception naming the call, the
 * {@code CL_...} status and the device. Not part of the API, and free to change between releases;
 * use {@link org.d2lcl.Device} instead.
 */
package org.d2lcl.opencl;
