package org.d2lcl.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.util.stream.Stream;
import org.d2lcl.testing.BackendExtension;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operands that do not fit are refused before anything runs, on both backends, with a
 * {@link ShapeException} whose message names the operation, the shapes and the rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendShapeTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    Stream<Named<Backend>> backends() {
        return backends.both();
    }

    /** The exception {@code call} throws is {@code type} and its message holds every one of {@code parts}. */
    private static <T extends Throwable> void refused(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "the message '" + e.getMessage() + "' should name '" + part + "'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void matmulShapes(Backend b) {
        try (Tensor a = b.zeros(3, 2); Tensor w = b.zeros(2, 1); Tensor w3 = b.zeros(3, 1); Tensor c = b.zeros(3, 1);
             Tensor c2 = b.zeros(2, 1); Tensor bias = b.zeros(1, 2)) {
            refused(ShapeException.class, () -> b.matmul(c, a, w3, null), "matmul", "3x2", "3x1", "inner dimensions");
            refused(ShapeException.class, () -> b.matmul(c2, a, w, null), "matmul", "c 2x1", "3x1");
            refused(ShapeException.class, () -> b.matmul(c, a, w, bias), "matmul", "bias 1x2", "c 3x1",
                    "1 values");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void elementwiseShapes(Backend b) {
        try (Tensor l = b.zeros(4, 1); Tensor yHat = b.zeros(4, 1); Tensor y3 = b.zeros(3, 1);
             Tensor row = b.zeros(1, 4)) {
            refused(ShapeException.class, () -> b.squaredLoss(l, yHat, y3), "squaredLoss", "4x1", "3x1", "one shape");
            refused(ShapeException.class, () -> b.squaredLoss(l, row, yHat), "squaredLoss", "1x4", "one shape");
            refused(ShapeException.class, () -> b.sgd(l, y3, 0.03f, 10), "sgd", "p 4x1", "g 3x1", "one shape");
            refused(IllegalArgumentException.class, () -> b.sgd(l, yHat, 0.03f, 0), "batchSize = 0", "> 0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void lossGradAndSumShapes(Backend b) {
        try (Tensor x = b.zeros(10, 2); Tensor yHat = b.zeros(10, 1); Tensor y = b.zeros(10, 1);
             Tensor y9 = b.zeros(9, 1); Tensor dw = b.zeros(2, 1); Tensor dw3 = b.zeros(3, 1); Tensor db = b.zeros(1, 1);
             Tensor out2 = b.zeros(2, 1)) {
            refused(ShapeException.class, () -> b.lossGrad(dw3, db, x, yHat, y), "lossGrad", "dw 3x1", "x 10x2",
                    "dw d x 1");
            refused(ShapeException.class, () -> b.lossGrad(dw, db, x, yHat, y9), "lossGrad", "y 9x1", "n x 1");
            refused(ShapeException.class, () -> b.lossGrad(dw, out2, x, yHat, y), "lossGrad", "db 2x1", "1 x 1");
            refused(ShapeException.class, () -> b.sum(out2, y), "sum", "out 2x1", "1x1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gatherShapes(Backend b) {
        try (Tensor x = b.zeros(10, 2); Tensor y = b.zeros(10, 1); Tensor xOut = b.zeros(4, 2);
             Tensor xOut3 = b.zeros(4, 3); Tensor yOut = b.zeros(4, 1); Tensor yOut3 = b.zeros(3, 1);
             Indices idx = b.indices(10)) {
            refused(ShapeException.class, () -> b.gather(xOut3, yOut, x, y, idx, 0), "gather", "xOut 4x3", "x 10x2",
                    "count x d");
            refused(ShapeException.class, () -> b.gather(xOut, yOut3, x, y, idx, 0), "gather", "yOut 3x1",
                    "count x 1");
            refused(ShapeException.class, () -> b.gather(xOut, yOut, x, y, idx, 7), "gather", "rows [7, 11)",
                    "index vector of 10", "inside");
            refused(ShapeException.class, () -> b.gather(xOut, yOut, x, y, idx, -1), "gather", "rows [-1, 3)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void storageShapes(Backend b) {
        refused(ShapeException.class, () -> b.tensor(new float[5], 2, 3), "5 values", "2x3", "exactly 6");
        refused(ShapeException.class, () -> b.zeros(-1, 2), "-1x2", ">= 0");
        try (Tensor t = b.zeros(2, 3); Indices idx = b.indices(4)) {
            refused(ShapeException.class, () -> b.write(t, new float[7]), "7 values", "2x3", "exactly 6");
            refused(ShapeException.class, () -> b.write(idx, new int[3]), "3 indices", "vector of 4");
            refused(ShapeException.class, () -> t.head(3), "head(3)", "2x3", "[0, 2]");
            refused(ShapeException.class, () -> t.head(-1), "head(-1)", "[0, 2]");
        }
    }

    /** An operand from another backend is refused, naming both. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void operandsFromAnotherBackend(Backend b) {
        Backend other = b == backends.openCl() ? backends.java() : backends.openCl();
        try (Tensor mine = b.zeros(3, 1); Tensor theirs = other.zeros(3, 1)) {
            refused(IllegalArgumentException.class, () -> b.squaredLoss(mine, theirs, mine), other.description(),
                    b.description(), "must live on the backend");
            refused(IllegalArgumentException.class, () -> b.read(theirs), other.description());
        }
    }
}
