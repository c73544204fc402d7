/**
 * Internal: the host side of each {@code kernels/*.cl} file (build options, arguments, launch
 * geometry), one class per file, named after it. Public so that tests and benchmarks can drive a
 * kernel directly; not part of the API, and free to change between releases. Use
 * {@link org.d2lcl.backend.Backend} instead. The variants studied for the benchmarks
 * ({@code bench/src/study}: {@code MatmulPackedKernel}, {@code CopyKernel}) have their host classes in
 * this package too, for its package-private helpers, but live outside the library jar.
 */
package org.d2lcl.kernels;
