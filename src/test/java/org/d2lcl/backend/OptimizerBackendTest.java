package org.d2lcl.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.d2lcl.D2l;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optimizer operations, {@link Backend#momentum} and {@link Backend#clipGradNorm}, on
 * {@link OpenClBackend} against {@link JavaBackend}: bit for bit, through {@link D2l}'s functions,
 * on the shapes the trainer passes (a {@code d x 1} weight and a {@code 1 x 1} bias, partial views),
 * and their checks at the boundary.
 */
class OptimizerBackendTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    @ParameterizedTest(name = "momentum, d = {0}, view of {1} rows, batch size {2}: three steps bitwise equal to Java")
    @CsvSource({"1, 1, 1", "2, 2, 10", "13, 7, 3", "1000, 1000, 1", "100003, 99999, 256"})
    void momentumMatches(int d, int rows, int batchSize) {
        Random rng = new Random(d + rows);
        float[] w = Inputs.gaussian(rng, d);
        float[] b = Inputs.gaussian(rng, 1);
        float[][] grads = new float[6][];
        for (int s = 0; s < 3; s++) {
            grads[2 * s] = Inputs.wide(rng, d);
            grads[2 * s + 1] = Inputs.wide(rng, 1);
        }
        float[][] out = new float[8][];
        int k = 0;
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor wT = be.tensor(w, d, 1); Tensor bT = be.tensor(b, 1, 1); Tensor vw = be.tensor(Inputs.nan(d), d, 1);
                 Tensor vb = be.tensor(Inputs.nan(1), 1, 1); Tensor dw = be.zeros(d, 1); Tensor db = be.zeros(1, 1)) {
                for (int s = 0; s < 3; s++) {
                    be.write(dw, grads[2 * s]);
                    be.write(db, grads[2 * s + 1]);
                    D2l.sgdMomentum(new Tensor[] {wT.head(rows), bT}, new Tensor[] {vw.head(rows), vb},
                            new Tensor[] {dw.head(rows), db}, 0.03f, 0.9f, batchSize, s == 0);
                }
                out[k++] = be.read(wT);
                out[k++] = be.read(bT);
                out[k++] = be.read(vw);
                out[k++] = be.read(dw);
            }
        }
        String what = "momentum, d = " + d + ", view of " + rows + " rows, OpenCL vs Java";
        Compare.bitwise(what + " (w)", out[4], out[0], d);
        Compare.bitwise(what + " (b)", out[5], out[1], 1);
        Compare.bitwise(what + " (v of w)", out[6], out[2], d);
        Compare.bitwise(what + " (dw: zeroed within the view, the last step's past it)", out[7], out[3], d);
        Compare.untouchedAfter(what + " (v past the view)", out[2], rows);
    }

    @ParameterizedTest(name = "clipGradNorm, d = {0}, max_norm {1}: norm, dw and db bitwise equal to Java")
    @CsvSource({"1, 0.5", "2, 100", "13, 1", "1000, 1", "1000, 1000", "100003, 10"})
    void clipGradNormMatches(int d, float maxNorm) {
        Random rng = new Random(d);
        float[] dw = Inputs.wide(rng, d);
        float[] db = Inputs.wide(rng, 1);
        float[][] out = new float[6][];
        int k = 0;
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor dwT = be.tensor(dw, d, 1); Tensor dbT = be.tensor(db, 1, 1);
                 Tensor norm = be.tensor(Inputs.nan(1), 1, 1)) {
                D2l.clipGradNorm(norm, dwT, dbT, maxNorm);
                out[k++] = be.read(norm);
                out[k++] = be.read(dwT);
                out[k++] = be.read(dbT);
            }
        }
        String what = "clipGradNorm, d = " + d + ", max_norm " + maxNorm + ", OpenCL vs Java";
        Compare.bitwise(what + " (norm)", out[3], out[0], 1);
        Compare.bitwise(what + " (dw)", out[4], out[1], d);
        Compare.bitwise(what + " (db)", out[5], out[2], 1);
    }

    @Test
    void boundaryChecksRefuseBadArguments() {
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor p = be.zeros(3, 1); Tensor v = be.zeros(2, 1); Tensor g = be.zeros(3, 1);
                 Tensor norm = be.zeros(1, 1); Tensor two = be.zeros(2, 1)) {
                assertThrows(ShapeException.class, () -> be.momentum(p, v, g, 0.1f, 0.9f, 1, true),
                        "momentum with v of another shape on " + be.description());
                assertThrows(IllegalArgumentException.class, () -> be.momentum(p, g, g, 0.1f, 0.9f, 0, true),
                        "momentum with batch size 0 on " + be.description());
                assertThrows(ShapeException.class, () -> be.clipGradNorm(two, p, norm, 1f),
                        "clipGradNorm with a 2x1 norm on " + be.description());
                for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
                    assertThrows(IllegalArgumentException.class, () -> be.clipGradNorm(norm, p, g.head(1), bad),
                            "clipGradNorm with max_norm " + bad + " on " + be.description());
                }
            }
        }
    }

    /** A zero-row operand is legal ({@code head(0)}): momentum changes nothing, the norm of nothing is 0. */
    @Test
    void emptyTensorsDoNothing() {
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor p = be.tensor(new float[] {1, 2}, 2, 1); Tensor v = be.tensor(new float[] {3, 4}, 2, 1);
                 Tensor g = be.tensor(new float[] {5, 6}, 2, 1); Tensor norm = be.tensor(Inputs.nan(1), 1, 1)) {
                be.momentum(p.head(0), v.head(0), g.head(0), 0.1f, 0.9f, 1, false);
                be.clipGradNorm(norm, p.head(0), v.head(0), 1f);
                String on = " on " + be.description();
                Compare.bitwise("p after an empty step" + on, new float[] {1, 2}, be.read(p), 2);
                Compare.bitwise("v after an empty step" + on, new float[] {3, 4}, be.read(v), 2);
                Compare.bitwise("g after an empty step" + on, new float[] {5, 6}, be.read(g), 2);
                assertEquals(0f, be.read(norm)[0], "the norm of no values" + on);
            }
        }
    }
}
