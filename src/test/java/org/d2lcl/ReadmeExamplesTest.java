package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.d2lcl.backend.Tensor;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.Dataset;
import org.d2lcl.data.Holdout;
import org.d2lcl.data.Standardization;
import org.d2lcl.nn.DataLoader;
import org.d2lcl.nn.L1Loss;
import org.d2lcl.nn.Linear;
import org.d2lcl.nn.MSELoss;
import org.d2lcl.nn.SGD;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


/**
 * The Java examples of the README and its pages, compiled and run. Each sits between {@code // begin
 * NAME} and {@code // end NAME} here and after {@code <!-- example: NAME -->} in README.md or docs/*.md;
 * {@link #theReadmeShowsExactlyThisCode()} keeps the two the same. The programs written for an open
 * {@code Device dev} ({@link #theL1Variant}, {@link #theErrorAgainstTheAmountOfData}) are run by
 * {@link ProgramsTest} on both backends.
 */
class ReadmeExamplesTest {

    /** The chapter's loop written out prints what the one-call API prints on the unfused kernels, line for line. */
    @Test
    void theChaptersLoop() {
        List<String> lines = capture(() -> {
            // begin loop
            float[] trueW = {2f, -3.4f};
            float trueB = 4.2f;
            Dataset data = D2l.syntheticData(trueW, trueB, 1000, 42);            // features, labels
            float lr = 0.03f;
            int numEpochs = 3, batchSize = 10, n = data.n(), d = data.d();
            try (Device dev = Device.best()) {                                     // owns every tensor below
                Tensor features = dev.tensor(data.features(), n, d), labels = dev.tensor(data.labels(), n, 1);
                Tensor w = dev.tensor(D2l.initialWeights(d, 42), d, 1), b = dev.zeros(1, 1);
                Tensor dw = dev.zeros(d, 1), db = dev.zeros(1, 1);               // w.grad, b.grad
                Tensor yHat = dev.zeros(n, 1), l = dev.zeros(n, 1);
                DataIter dataIter = new DataIter(batchSize, features, labels);
                for (int epoch = 0; epoch < numEpochs; epoch++) {
                    for (Batch batch : dataIter.shuffle(Rng.shuffle(42, epoch + 1))) {
                        Tensor x = batch.x(), y = batch.y(), yHatB = yHat.head(batch.size());
                        D2l.linreg(yHatB, x, w, b);                                // linreg(X, w, b)
                        D2l.squaredLoss(l.head(batch.size()), yHatB, y);          // l = squared_loss(...)
                        D2l.squaredLossGrad(dw, db, x, yHatB, y);                  // l.sum().backward()
                        D2l.sgd(new Tensor[] {w, b}, new Tensor[] {dw, db}, lr, batchSize);
                    }
                    D2l.linreg(yHat, features, w, b);
                    D2l.squaredLoss(l, yHat, labels);
                    System.out.printf("epoch %d, loss %f%n", epoch + 1, D2l.mean(l));
                }
                float[] wNow = w.read();
                System.out.printf("error in estimating w: [%f, %f]%n", trueW[0] - wNow[0], trueW[1] - wNow[1]);
                System.out.printf("error in estimating b: %f%n", trueB - b.read()[0]);
            }
            // end loop
        });
        List<String> library = capture(() -> {
            Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
            try (var dev = Device.best();
                 var net = LinearRegression.on(dev, data, new TrainConfig(10, 0.03f, 3, 42, Kernels.UNFUSED))) {
                for (int epoch = 1; epoch <= 3; epoch++) {
                    System.out.printf("epoch %d, loss %f%n", epoch, net.epoch());
                }
                float[] w = net.w();
                System.out.printf("error in estimating w: [%f, %f]%n", 2f - w[0], -3.4f - w[1]);
                System.out.printf("error in estimating b: %f%n", 4.2f - net.b());
            }
        });
        assertEquals(library, lines);
    }

    @Test
    void theChapter() {
        List<String> lines = capture(() -> {
            // begin chapter
            float[] trueW = {2f, -3.4f};
            float trueB = 4.2f;
            Dataset data = D2l.syntheticData(trueW, trueB, 1000, 42);
            var config = new TrainConfig(10, 0.03f, 3, 42); // batch_size, lr, num_epochs, seed
            try (var dev = Device.best(); var net = LinearRegression.on(dev, data, config)) {
                for (int epoch = 0; epoch < config.epochs(); epoch++) {
                    System.out.printf("epoch %d, loss %f%n", epoch + 1, net.epoch());
                }
                float[] w = net.w();
                System.out.printf("error in estimating w: [%f, %f]%n", trueW[0] - w[0], trueW[1] - w[1]);
                System.out.printf("error in estimating b: %f%n", trueB - net.b());
            }
            // end chapter
        });
        assertEquals(5, lines.size(), String.join("\n", lines));
        for (int e = 1; e <= 3; e++) {
            assertTrue(lines.get(e - 1).startsWith("epoch " + e + ", loss "), lines.get(e - 1));
        }
        double loss = Double.parseDouble(lines.get(2).substring("epoch 3, loss ".length()));
        assertTrue(loss < 2e-4, "epoch-3 loss " + loss + " should be < 2e-4, as in the chapter");
        Matcher w = Pattern.compile("error in estimating w: \\[(\\S+), (\\S+)]").matcher(lines.get(3));
        assertTrue(w.matches(), lines.get(3));
        assertTrue(Math.abs(Double.parseDouble(w.group(1))) < 0.01 && Math.abs(Double.parseDouble(w.group(2))) < 0.01,
                lines.get(3));
        double errB = Double.parseDouble(lines.get(4).substring("error in estimating b: ".length()));
        assertTrue(Math.abs(errB) < 0.01, lines.get(4));
    }

    @Test
    void realData() {
        List<String> lines = capture(() -> {
            // begin real-data
            CsvTable table = CsvTable.read(Path.of("data/diabetes.csv"));
            int label = table.column("progression");
            Holdout split = Holdout.split(table.dataset(label), 0.2, 42);
            Standardization scale = Standardization.fit(split.train());
            var config = new TrainConfig(10, 0.01f, 30, 42);
            try (var dev = Device.best(); var net = LinearRegression.on(dev, scale.apply(split.train()), config)) {
                double[] losses = net.fit();
                System.out.printf("loss %f, held-out loss %f%n", losses[losses.length - 1],
                        net.loss(scale.apply(split.heldOut())));
                LinearModel model = net.model().withStandardization(scale)
                        .withNames(table.namesWithout(label), "progression");
                float[] predicted = model.predict(dev, table);
                System.out.printf("first patient: predicted %.1f, measured %.1f%n", predicted[0],
                        table.dataset(label).labels()[0]);
            }
            // end real-data
        });
        assertEquals(2, lines.size(), String.join("\n", lines));
        Matcher m = Pattern.compile("loss (\\S+), held-out loss (\\S+)").matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        // Least squares on all 442 patients reaches 1429.85 (DiabetesTest computes it); SGD on 354 of them
        // lands near it, and the 88 it never saw are predicted about as well.
        double loss = Double.parseDouble(m.group(1));
        double heldOut = Double.parseDouble(m.group(2));
        assertTrue(loss > 1300 && loss < 1550, lines.get(0));
        assertTrue(heldOut > 1100 && heldOut < 1700, lines.get(0));
        assertTrue(lines.get(1).matches("first patient: predicted \\d+\\.\\d, measured 151\\.0"), lines.get(1));
    }

    /** The concise version (docs/programs.md) prints the chapter's three epoch lines and converges as the chapter's run does. */
    @Test
    void theConciseVersion() {
        List<String> lines = capture(() -> {
            // begin concise
            Dataset data = D2l.syntheticData(new float[] {2f, -3.4f}, 4.2f, 1000, 42);
            try (Device dev = Device.best()) {                                     // owns every tensor below
                Tensor features = dev.tensor(data.features(), 1000, 2), labels = dev.tensor(data.labels(), 1000, 1);
                Linear net = new Linear(dev, 2);                                   // nn.Linear(2, 1)
                net.weight().normal(0, 0.01, 42); net.bias().fill(0);
                MSELoss loss = new MSELoss();                                      // new MSELoss(Reduction.SUM) for the sum
                SGD trainer = new SGD(net.parameters(), 0.03f);
                DataLoader dataLoader = new DataLoader(features, labels, 10, true, 42);  // shuffle, seed
                for (int epoch = 0; epoch < 3; epoch++) {
                    for (Batch batch : dataLoader) {
                        double l = loss.forward(net.forward(batch.x()), batch.y());
                        trainer.zeroGrad(); loss.backward(net); trainer.step();
                    }
                    System.out.printf("epoch %d, loss %f%n", epoch + 1, loss.forward(net.forward(features), labels));
                }
            }
            // end concise
        });
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (int e = 1; e <= 3; e++) {
            assertTrue(lines.get(e - 1).matches("epoch " + e + ", loss \\d+\\.\\d{6}"), lines.get(e - 1));
        }
        double loss = Double.parseDouble(lines.get(2).substring("epoch 3, loss ".length()));
        assertTrue(loss < 2e-4 * 2, "epoch-3 loss " + loss + " should be < 4e-4: the chapter's 2e-4, and MSE has no 1/2");
    }

    /** The sweep of docs/sweeps.md: a line per run, in order; the chapter's run among them at its loss. */
    @Test
    void theSweep() {
        List<String> lines = capture(() -> {
            // begin sweep
            Sweep sweep = Sweep.chapter().lr(0.001f, 0.003f, 0.01f, 0.03f, 0.1f).batchSize(1, 10, 100);
            try (Device dev = Device.best()) {
                for (Sweep.Result r : sweep.train(dev).runs()) {
                    System.out.printf("%s: loss %g%n", r.run(), r.finalLoss());
                }
            }
            // end sweep
        });
        assertEquals(15, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("lr 0.001, batch-size 1, epochs 3, seed 42, init normal, loss squared,"
                + " optimizer sgd, examples 1000: loss "), lines.get(0));
        assertTrue(lines.get(10).matches("lr 0\\.03, batch-size 10, .*: loss 5\\.26\\d*e-05"),
                "the chapter's run, at train's 0.000053: " + lines.get(10));
    }

    /** The online variant (docs/programs.md): w is recovered in the write-up's 500 iterations. */
    @Test
    void theOnlineVariant() {
        List<String> lines = capture(() -> {
            // begin online
            var config = Online.Config.DEFAULT;                  // batch 32, lr 1e-4, 500 iterations
            try (var dev = Device.best(); var run = new Online(dev.backend(), config)) {
                for (int it = 1; it <= config.iterations(); it++) {
                    double l = run.iteration();                  // a fresh batch, its loss, the update
                    if (it % 100 == 0) {
                        System.out.printf("iteration %d, loss %f, w %f, b %f%n", it, l, run.w(), run.b());
                    }
                }
            }
            // end online
        });
        assertEquals(5, lines.size(), String.join("\n", lines));
        Matcher last = Pattern.compile("iteration 500, loss \\S+, w (\\S+), b (\\S+)").matcher(lines.get(4));
        assertTrue(last.matches(), lines.get(4));
        assertEquals(2.0, Double.parseDouble(last.group(1)), 0.05, lines.get(4));
    }

    /**
     * The L1 variant (docs/programs.md) on {@code dev}: one line per epoch, the sum of its 32
     * minibatch losses, then the parameters; {@code ProgramsTest} runs it on both backends.
     */
    static void theL1Variant(Device dev) {
        // begin l1
        float[] trueW = {10f, 7f, 5f, 2f};
        Dataset data = D2l.syntheticData(trueW, 1.1f, 500, 42);             // true_b = 1.1
        Tensor features = dev.tensor(data.features(), 500, 4), labels = dev.tensor(data.labels(), 500, 1);
        Linear net = new Linear(dev, 4);
        net.weight().normal(0, 0.01, 42); net.bias().fill(0.01f);
        L1Loss loss = new L1Loss();                                         // the mean of |y_hat - y|
        SGD trainer = new SGD(net.parameters(), 0.05f);
        DataLoader dataLoader = new DataLoader(features, labels, 16, true, 42);
        for (int epoch = 0; epoch < 50; epoch++) {
            double total = 0;
            for (Batch batch : dataLoader) {
                total += loss.forward(net.forward(batch.x()), batch.y());
                trainer.zeroGrad(); loss.backward(net); trainer.step();
            }
            System.out.printf("epoch %03d: loss: %f%n", epoch, total);
        }
        float[] w = net.weight().read();
        System.out.printf("w: [%f, %f, %f, %f], b: %f%n", w[0], w[1], w[2], w[3], net.bias().read()[0]);
        // end l1
    }

    /**
     * The exercise on the amount of data (docs/programs.md) on {@code dev}: a header, then n and the
     * errors of w and b for each n; {@code ProgramsTest} runs it on both backends.
     */
    static void theErrorAgainstTheAmountOfData(Device dev) {
        // begin data-size
        float[] trueW = {2f, -3.4f};
        float trueB = 4.2f;
        System.out.println("    n    |w - ŵ|    |b - b̂|");
        for (int n : new int[] {10, 100, 1000, 10000}) {
            Dataset data = D2l.syntheticData(trueW, trueB, n, 42);
            Tensor features = dev.tensor(data.features(), n, 2), labels = dev.tensor(data.labels(), n, 1);
            Linear net = new Linear(dev, 2);
            net.weight().normal(0, 0.01, 42); net.bias().fill(0);
            MSELoss loss = new MSELoss();
            SGD trainer = new SGD(net.parameters(), 0.03f);
            for (int step = 0; step < 1000; step++) {                        // gradient descent on all n
                loss.forward(net.forward(features), labels);
                trainer.zeroGrad(); loss.backward(net); trainer.step();
            }
            float[] w = net.weight().read();
            System.out.printf("%5d  %9.2e  %9.2e%n", n, Math.hypot(trueW[0] - w[0], trueW[1] - w[1]),
                    Math.abs(trueB - net.bias().read()[0]));
        }
        // end data-size
    }

    /** The README's examples are this file's, line for line. */
    @Test
    @Tag("source-tree")
    void theReadmeShowsExactlyThisCode() throws IOException {
        // The README and the pages it links to (docs/*.md) show the examples.
        StringBuilder pages = new StringBuilder(Files.readString(Path.of("README.md")));
        try (var docs = Files.list(Path.of("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                pages.append('\n').append(Files.readString(page));
            }
        }
        String readme = pages.toString();
        String test = Files.readString(Path.of("src/test/java/org/d2lcl/ReadmeExamplesTest.java"));
        for (String name : List.of("loop", "chapter", "real-data", "concise", "online", "l1", "data-size", "sweep")) {
            Matcher inReadme = Pattern.compile("<!-- example: " + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                    .matcher(readme);
            assertTrue(inReadme.find(), "README.md and docs/*.md have no block after <!-- example: " + name + " -->");
            Matcher inTest = Pattern.compile("// begin " + name + "\\n(.*?)\\n\\s*// end " + name, Pattern.DOTALL)
                    .matcher(test);
            assertTrue(inTest.find(), "no // begin " + name + " ... // end " + name + " here");
            assertEquals(dedent(inTest.group(1)), dedent(inReadme.group(1)),
                    "README.md's example '" + name + "' differs from the code this test runs");
        }
    }

    private static String dedent(String block) {
        List<String> lines = new ArrayList<>(block.stripTrailing().lines().toList());
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        lines.replaceAll(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing());
        return String.join("\n", lines);
    }

    /** Runs {@code example} with {@code System.out} captured; returns the lines it printed. */
    static List<String> capture(Runnable example) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Locale locale = Locale.getDefault();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Locale.setDefault(Locale.ROOT);
            System.setOut(out);
            example.run();
        } finally {
            System.setOut(saved);
            Locale.setDefault(locale);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        saved.print(text);
        return text.lines().toList();
    }
}
