/**
 * Internal: the {@code d2l-cl} command line ({@code train}, {@code predict}, {@code devices}),
 * written with picocli, XChart and progressbar, which the library jar does not depend on. The entry
 * point is {@link org.d2lcl.cli.Main}.
 */
package org.d2lcl.cli;
