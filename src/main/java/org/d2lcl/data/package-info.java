/**
 * Public: examples and files on the host. {@link org.d2lcl.data.Dataset} (n examples of d features
 * and their labels), {@link org.d2lcl.data.Csv} and {@link org.d2lcl.data.CsvTable} (CSV files as
 * other programs write them, the label chosen by name), {@link org.d2lcl.data.Holdout} (a seeded
 * held-out split), {@link org.d2lcl.data.Standardization} ({@code (x - mean) / std}, fitted on the
 * training part), and {@link org.d2lcl.data.AtomicFile}, through which every file the library
 * writes is replaced whole.
 */
package org.d2lcl.data;
