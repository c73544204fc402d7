package org.d2lcl.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.d2lcl.Loss;
import org.d2lcl.Rng;
import org.d2lcl.kernels.ReduceKernel;
import org.d2lcl.testing.BackendExtension;
import org.d2lcl.testing.Compare;
import org.d2lcl.testing.Inputs;
import org.d2lcl.testing.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every {@link Backend} operation on {@link OpenClBackend} against {@link JavaBackend} on the same
 * inputs: elementwise operations bit for bit, sums both within the float64 oracle's bound. The
 * operands are the shapes the trainer passes: partial minibatches as {@link Tensor#head} views,
 * {@code 1 x 1} bias and gradient, and empty tensors, on which every operation does nothing.
 */
class OpenClBackendTest {
    @RegisterExtension
    static final BackendExtension backends = new BackendExtension();

    @ParameterizedTest(name = "{0}x{1}: tensor/write/read/zeros round-trip bit for bit")
    @CsvSource({"0, 3", "1, 1", "97, 13", "1000, 2"})
    void storageRoundTrips(int rows, int cols) {
        float[] data = Inputs.wide(new Random(rows), rows * cols);
        try (Tensor t = backends.openCl().tensor(data, rows, cols); Tensor z = backends.openCl().zeros(rows, cols)) {
            Compare.bitwise("read(tensor(data))", data, backends.openCl().read(t), data.length);
            Compare.bitwise("read(zeros)", new float[data.length], backends.openCl().read(z), data.length);
            float[] other = Inputs.gaussian(new Random(rows + 1), rows * cols);
            backends.openCl().write(z, other);
            Compare.bitwise("read after write", other, backends.openCl().read(z), data.length);
        }
    }

    @ParameterizedTest(name = "gather: n = {0}, d = {1}, batch {2}, from {3}: bitwise equal to the Java backend")
    @CsvSource({"1, 1, 1, 0", "1000, 2, 10, 990", "1000, 2, 10, 995", "97, 13, 31, 93", "5000, 4, 256, 4864"})
    void gatherMatches(int n, int d, int batch, int start) {
        Random rng = new Random(n + d);
        float[] x = Inputs.wide(rng, n * d);
        float[] y = Inputs.wide(rng, n);
        int[] order = Rng.permutation(new int[n], rng);
        int count = Math.min(batch, n - start);
        float[][] xy = new float[4][];
        int k = 0;
        for (Backend b : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor xs = b.tensor(x, n, d); Tensor ys = b.tensor(y, n, 1); Indices idx = b.indices(n);
                 Tensor xOut = b.tensor(Inputs.nan(batch * d), batch, d);
                 Tensor yOut = b.tensor(Inputs.nan(batch), batch, 1)) {
                b.write(idx, order);
                b.gather(xOut.head(count), yOut.head(count), xs, ys, idx, start);
                xy[k++] = b.read(xOut);
                xy[k++] = b.read(yOut);
            }
        }
        String what = "gather of rows [" + start + ", " + (start + count) + ") of " + n + "x" + d;
        Compare.bitwise(what + " (x), OpenCL vs Java, batch tensor of " + batch + " rows", xy[2], xy[0], batch * d);
        Compare.bitwise(what + " (y), OpenCL vs Java, batch tensor of " + batch + " rows", xy[3], xy[1], batch);
        Compare.untouchedAfter(what + " (x, rows past the view)", xy[0], count * d);
        Compare.untouchedAfter(what + " (y, rows past the view)", xy[1], count);
    }

    @ParameterizedTest(name = "linreg: {0}x{1} · w + b, view of {2} rows: within gamma(d+1)·Σ|x·w| on both")
    @CsvSource({"1, 1, 1", "10, 2, 10", "10, 2, 7", "97, 13, 97", "1000, 4, 999", "1000003, 2, 1000003"})
    void linregMatches(int n, int d, int rows) {
        Random rng = new Random(n * 31L + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] w = Inputs.gaussian(rng, d);
        float[] b = Inputs.gaussian(rng, 1);
        double[] bound = new double[rows];
        double[] exact = Oracle.matmul(bound, Inputs.head(x, rows * d), w, b, rows, d, 1);
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor xs = be.tensor(x, n, d); Tensor ws = be.tensor(w, d, 1); Tensor bs = be.tensor(b, 1, 1);
                 Tensor yHat = be.tensor(Inputs.nan(n), n, 1)) {
                be.matmul(yHat.head(rows), xs.head(rows), ws, bs);
                float[] out = be.read(yHat);
                Compare.within("matmul on " + be.description() + ", " + rows + " rows of " + n + "x" + d
                        + " (bound gamma(d+1)·Σ|x·w|)", exact, out, bound, rows);
                Compare.untouchedAfter("matmul on " + be.description() + ", rows past the view", out, rows);
            }
        }
    }

    @Test
    void matmulWithoutBiasMatches() {
        Random rng = new Random(5);
        int m = 37;
        int k = 19;
        int n = 23;
        float[] a = Inputs.gaussian(rng, m * k);
        float[] bm = Inputs.gaussian(rng, k * n);
        double[] bound = new double[m * n];
        double[] exact = Oracle.matmul(bound, a, bm, null, m, k, n);
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor at = be.tensor(a, m, k); Tensor bt = be.tensor(bm, k, n); Tensor c = be.zeros(m, n)) {
                be.matmul(c, at, bt, null);
                Compare.within("matmul 37x19x23 without bias on " + be.description(), exact, be.read(c), bound,
                        m * n);
            }
        }
    }

    @ParameterizedTest(name = "squaredLoss and sgd, n = {0}: bitwise equal to the Java backend")
    @CsvSource({"1", "10", "257", "100003"})
    void elementwiseMatch(int n) {
        Random rng = new Random(n);
        float[] yHat = Inputs.wide(rng, n);
        float[] y = Inputs.wide(rng, n);
        float[] p = Inputs.gaussian(rng, n);
        float[] g = Inputs.wide(rng, n);
        float[][] out = new float[6][];
        int k = 0;
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor yHatT = be.tensor(yHat, n, 1); Tensor yT = be.tensor(y, n, 1); Tensor l = be.zeros(n, 1);
                 Tensor pT = be.tensor(p, n, 1); Tensor gT = be.tensor(g, n, 1)) {
                be.squaredLoss(l, yHatT, yT);
                be.sgd(pT, gT, 0.03f, 10);
                out[k++] = be.read(l);
                out[k++] = be.read(pT);
                out[k++] = be.read(gT);
            }
        }
        Compare.bitwise("squaredLoss, OpenCL vs Java, n = " + n, out[3], out[0], n);
        Compare.bitwise("sgd (p), OpenCL vs Java, n = " + n, out[4], out[1], n);
        Compare.bitwise("sgd (g zeroed), OpenCL vs Java, n = " + n, out[5], out[2], n);
    }

    @ParameterizedTest(name = "lossGrad: {0}x{1}, view of {2} rows: within gamma(n+1)·Σ|x·r| on both")
    @CsvSource({"1, 1, 1", "10, 2, 10", "10, 2, 3", "97, 13, 97", "1000, 4, 1000", "65537, 2, 65537"})
    void lossGradMatches(int n, int d, int rows) {
        Random rng = new Random(n * 7L + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] yHat = Inputs.gaussian(rng, n);
        float[] y = Inputs.gaussian(rng, n);
        double[] bound = new double[d + 1];
        double[] exact = Oracle.lossGrad(bound, Inputs.head(x, rows * d), yHat, y, rows, d);
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor xs = be.tensor(x, n, d); Tensor yHatT = be.tensor(yHat, n, 1); Tensor yT = be.tensor(y, n, 1);
                 Tensor dw = be.tensor(Inputs.nan(d), d, 1); Tensor db = be.tensor(Inputs.nan(1), 1, 1)) {
                be.lossGrad(dw, db, xs.head(rows), yHatT.head(rows), yT.head(rows));
                gradientWithin("lossGrad on " + be.description() + ", " + rows + " rows of " + n + "x" + d, dw, db,
                        exact, bound);
            }
        }
    }

    /** dw then db, read, within {@code bound} (gamma(n+1)·Σ|x·r|) of {@code exact}. */
    private static void gradientWithin(String what, Tensor dw, Tensor db, double[] exact, double[] bound) {
        int d = dw.rows();
        float[] grad = Arrays.copyOf(dw.read(), d + 1);
        grad[d] = db.read()[0];
        Compare.within(what + " (dw then db; bound gamma(n+1)·Σ|x·r|)", exact, grad, bound, d + 1);
    }

    @ParameterizedTest(name = "loss and lossResidual, {0}, n = {1}: bitwise equal to the Java backend")
    @CsvSource({"SQUARED, 1", "MSE, 10", "MSE, 100003", "L1, 257", "HUBER, 1", "HUBER, 100003"})
    void lossesMatch(Loss kind, int n) {
        Random rng = new Random(n * 3L + kind.ordinal());
        float[] yHat = Inputs.wide(rng, n);
        float[] y = Inputs.wide(rng, n);
        float delta = kind == Loss.HUBER ? 0.5f : 0f;
        float[][] out = new float[4][];
        int k = 0;
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor yHatT = be.tensor(yHat, n, 1); Tensor yT = be.tensor(y, n, 1);
                 Tensor l = be.tensor(Inputs.nan(n + 1), n + 1, 1); Tensor r = be.tensor(Inputs.nan(n + 1), n + 1, 1)) {
                be.loss(kind, l.head(n), yHatT, yT, delta);
                be.lossResidual(kind, r.head(n), yHatT, yT, delta);
                out[k++] = be.read(l);
                out[k++] = be.read(r);
            }
        }
        Compare.bitwise("loss " + kind + ", OpenCL vs Java, n = " + n, out[2], out[0], n);
        Compare.bitwise("lossResidual " + kind + ", OpenCL vs Java, n = " + n, out[3], out[1], n);
        Compare.untouchedAfter("loss " + kind + " on OpenCL, past the view", out[0], n);
        Compare.untouchedAfter("lossResidual " + kind + " on OpenCL, past the view", out[1], n);
    }

    @ParameterizedTest(name = "residualGrad: {0}x{1}, view of {2} rows: within gamma(n+1)·Σ|x·r| on both")
    @CsvSource({"1, 1, 1", "10, 2, 10", "10, 2, 3", "97, 13, 97", "65537, 2, 65537"})
    void residualGradMatches(int n, int d, int rows) {
        Random rng = new Random(n * 11L + d);
        float[] x = Inputs.gaussian(rng, n * d);
        float[] r = Inputs.gaussian(rng, n);
        double[] bound = new double[d + 1];
        double[] exact = Oracle.residualGrad(bound, Inputs.head(x, rows * d), r, rows, d);
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor xs = be.tensor(x, n, d); Tensor rT = be.tensor(r, n, 1);
                 Tensor dw = be.tensor(Inputs.nan(d), d, 1); Tensor db = be.tensor(Inputs.nan(1), 1, 1)) {
                be.residualGrad(dw, db, xs.head(rows), rT.head(rows));
                gradientWithin("residualGrad on " + be.description() + ", " + rows + " rows of " + n + "x" + d, dw,
                        db, exact, bound);
            }
        }
    }

    @ParameterizedTest(name = "sum: n = {0}: within gamma(depth(n))·Σ|x| on both")
    @CsvSource({"0", "1", "1000", "1000003"})
    void sumMatches(int n) {
        float[] x = Inputs.wide(new Random(n), n);
        double[] sumAbs = new double[1];
        double[] exact = {Oracle.sum(x, n, sumAbs)};
        long depth;
        try (ReduceKernel reduce = new ReduceKernel(backends.openCl().context())) {
            depth = reduce.depth(n);
        }
        double[] bound = {Oracle.gamma(depth) * sumAbs[0]};
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor xs = be.tensor(x, n, 1); Tensor out = be.tensor(Inputs.nan(1), 1, 1)) {
                be.sum(out, xs);
                Compare.within("sum on " + be.description() + ", n = " + n + " (bound gamma(" + depth + ")·Σ|x|)",
                        exact, be.read(out), bound, 1);
            }
        }
    }

    /** A zero-row operand is legal ({@code head(0)}), and every operation on it does nothing. */
    @Test
    void operationsOnEmptyTensorsDoNothing() {
        for (Backend be : new Backend[] {backends.openCl(), backends.java()}) {
            try (Tensor x = be.tensor(new float[] {1, 2, 3, 4}, 2, 2); Tensor y = be.tensor(new float[] {5, 6}, 2, 1);
                 Tensor w = be.tensor(new float[] {1, 1}, 2, 1); Tensor b = be.zeros(1, 1);
                 Tensor out = be.tensor(Inputs.nan(2), 2, 1); Indices idx = be.indices(2)) {
                be.write(idx, new int[] {1, 0});
                be.gather(x.head(0), y.head(0), x, y, idx, 2);
                be.matmul(out.head(0), x.head(0), w, b);
                be.squaredLoss(out.head(0), y.head(0), y.head(0));
                be.sgd(out.head(0), y.head(0), 0.03f, 1);
                be.finish();
                String on = " on " + be.description();
                assertArrayEquals(new float[] {1, 2, 3, 4}, be.read(x), "x after empty operations" + on);
                assertArrayEquals(new float[] {5, 6}, be.read(y), "y after empty operations" + on);
                Compare.untouchedAfter("output after empty operations" + on, be.read(out), 0);

                be.sum(out.head(1), y.head(0));
                assertEquals(0f, be.read(out)[0], "the sum of no values" + on);
                be.lossGrad(w, b, x.head(0), y.head(0), y.head(0));
                assertArrayEquals(new float[] {0, 0, 0}, new float[] {be.read(w)[0], be.read(w)[1], be.read(b)[0]},
                        "the gradient over no examples" + on);
            }
        }
    }
}
