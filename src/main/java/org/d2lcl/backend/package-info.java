/**
 * Public: the operations the chapter is written against, one per kernel, output first, on
 * {@link org.d2lcl.backend.Tensor}s that live on one {@link org.d2lcl.backend.Backend}.
 * {@link org.d2lcl.backend.OpenClBackend} enqueues the {@code kernels/*.cl} files;
 * {@link org.d2lcl.backend.JavaBackend} runs the same operations as the plain loops of
 * {@link org.d2lcl.backend.Reference}. Shapes are checked once, where the call comes in.
 */
package org.d2lcl.backend;
