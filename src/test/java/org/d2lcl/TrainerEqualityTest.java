package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.d2lcl.backend.Backend;
import org.d2lcl.backend.JavaBackend;
import org.d2lcl.backend.OpenClBackend;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


/**
 * The whole run, Java backend against OpenCL backend: same seed, same data, same hyper-parameters.
 * The parameters agree to 1e-5 after every epoch and the epoch losses to 1e-4 relative (the
 * backends sum in different orders, and a loss near the noise floor of 5e-5 moves by ~1e-5
 * relative when the parameters move by 1e-6). Where the run can converge (any batch size below n
 * with lr 0.03 and 3 epochs) both reach a loss below 2e-4 and recover w and b to within 0.01.
 */
class TrainerEqualityTest {
    private static final double PARAMETERS = 1e-5;
    private static final double LOSS_RELATIVE = 1e-4;

    @ParameterizedTest(name = "true w [{0}], b {1}, n {2}, batch {3}, lr {4}, {5} epochs, converges: {6}")
    @CsvSource({
        "2 -3.4,    4.2, 1000, 10,   0.03, 3, true",   // the chapter's run
        "10 7 5 2,  1.1, 1000, 10,   0.03, 3, true",
        "2 -3.4,    4.2, 1000, 7,    0.03, 3, true",   // 142 full batches and a last one of 6
        "10 7 5 2,  1.1, 1000, 7,    0.03, 3, true",
        "2 -3.4,    4.2, 1000, 1,    0.03, 3, true",
        "10 7 5 2,  1.1, 1000, 1,    0.03, 3, true",
        "2 -3.4,    4.2, 1000, 1000, 0.03, 3, false",  // 3 steps of full-batch descent: far from converged
        "10 7 5 2,  1.1, 1000, 1000, 0.03, 3, false",
        "2 -3.4,    4.2, 1,    1,    0.03, 3, false",  // a single example
        "3,         0.5, 4099, 256,  0.1,  10, true"  // n prime: 16 batches of 256 and one of 3
    })
    void javaAndOpenClAgree(String trueWords, float trueB, int n, int batchSize, float lr, int epochs,
            boolean converges) {
        float[] trueW = parse(trueWords);
        Dataset data = D2l.syntheticData(trueW, trueB, n, 42);
        TrainConfig config = new TrainConfig(batchSize, lr, epochs, 42);
        try (Backend java = new JavaBackend(); Backend cl = new OpenClBackend(TestDevice.get());
             Trainer onJava = new Trainer(java, data, config); Trainer onCl = new Trainer(cl, data, config)) {
            StringBuilder history = new StringBuilder();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double lossJava = onJava.epoch();
                double lossCl = onCl.epoch();
                float[] wJava = onJava.w();
                float[] wCl = onCl.w();
                float bJava = onJava.b();
                float bCl = onCl.b();
                history.append(String.format(Locale.ROOT,
                        "%n  epoch %d: loss %.9g (Java) %.9g (OpenCL), w %s %s, b %s %s", epoch, lossJava, lossCl,
                        Arrays.toString(wJava), Arrays.toString(wCl), bJava, bCl));
                double paramDiff = Math.abs(bJava - bCl);
                for (int j = 0; j < trueW.length; j++) {
                    paramDiff = Math.max(paramDiff, Math.abs(wJava[j] - wCl[j]));
                }
                assertTrue(paramDiff <= PARAMETERS, "parameters differ by " + paramDiff + " > " + PARAMETERS + history);
                double lossDiff = Math.abs(lossJava - lossCl) / lossJava;
                assertTrue(lossDiff <= LOSS_RELATIVE,
                        "epoch losses differ by " + lossDiff + " relative > " + LOSS_RELATIVE + history);
                if (converges && epoch == epochs) {
                    converged(onJava, lossJava, trueW, trueB, history);
                    converged(onCl, lossCl, trueW, trueB, history);
                }
            }
        }
    }

    private static void converged(Trainer t, double loss, float[] trueW, float trueB, CharSequence history) {
        String on = " on " + t.backend().description() + history;
        assertTrue(loss < 2e-4, "final loss " + loss + " is not < 2e-4" + on);
        float[] w = t.w();
        for (int j = 0; j < trueW.length; j++) {
            assertTrue(Math.abs(trueW[j] - w[j]) < 0.01, "error in w[" + j + "] = " + (trueW[j] - w[j])
                    + ", not < 0.01" + on);
        }
        assertTrue(Math.abs(trueB - t.b()) < 0.01, "error in b = " + (trueB - t.b()) + ", not < 0.01" + on);
    }

    private static float[] parse(String words) {
        String[] parts = words.strip().split("\\s+");
        float[] w = new float[parts.length];
        for (int j = 0; j < parts.length; j++) {
            w[j] = Float.parseFloat(parts[j]);
        }
        return w;
    }
}
