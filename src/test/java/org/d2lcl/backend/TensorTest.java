package org.d2lcl.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Tensor#head} views on both backends: shared storage, the first rows only, closing them frees nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TensorTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    Stream<Named<Backend>> backends() {
        return backends.both();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void headIsAViewOfTheFirstRows(Backend b) {
        try (Tensor t = b.tensor(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)) {
            Tensor head = t.head(3);
            assertEquals("3x2", head.shape());
            assertEquals(6, head.size());
            assertSame(b, head.backend());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, b.read(head));
            assertArrayEquals(new float[] {1, 2, 3, 4}, b.read(head.head(2)), "a head of a head");
            assertArrayEquals(new float[0], b.read(t.head(0)), "head(0) is empty");

            b.write(head.head(1), new float[] {-1, -2});
            assertArrayEquals(new float[] {-1, -2, 3, 4, 5, 6, 7, 8}, b.read(t), "a write through a view lands in t");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void operationsOnAViewWriteOnlyItsRows(Backend b) {
        try (Tensor l = b.tensor(new float[] {9, 9, 9, 9}, 4, 1); Tensor yHat = b.tensor(new float[] {1, 2, 3, 4}, 4, 1);
             Tensor y = b.zeros(4, 1)) {
            b.squaredLoss(l.head(2), yHat.head(2), y.head(2));
            assertArrayEquals(new float[] {0.5f, 2f, 9, 9}, b.read(l));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void closingAViewLeavesTheTensorOpen(Backend b) {
        try (Tensor t = b.tensor(new float[] {1, 2, 3}, 3, 1)) {
            t.head(2).close();
            assertArrayEquals(new float[] {1, 2, 3}, b.read(t));
            b.write(t, new float[] {4, 5, 6});
            assertArrayEquals(new float[] {4, 5, 6}, b.read(t));
        }
    }

    /** Closing tensors gives their buffers back; closing the backend releases whatever is left. */
    @Test
    void openClTensorsReleaseTheirBuffers() {
        try (OpenClBackend backend = new OpenClBackend(TestDevice.get())) {
            int before = backend.context().openResources();
            Tensor kept = backend.zeros(5, 1);
            try (Tensor t = backend.zeros(100, 2); Indices idx = backend.indices(100)) {
                t.head(10).close();
                assertEquals(before + 3, backend.context().openResources(), "three buffers are open");
            }
            assertEquals(before + 1, backend.context().openResources(), "only the tensor still open holds a buffer");
            kept.close();
            assertEquals(before, backend.context().openResources(), "every buffer is released");
            backend.zeros(7, 1);
            backend.close();
            assertEquals(0, backend.context().openResources(), "closing the backend releases every buffer left open");
        }
    }
}
