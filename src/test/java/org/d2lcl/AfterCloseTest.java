package org.d2lcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.d2lcl.data.CsvTable;
import org.d2lcl.data.Dataset;
import org.d2lcl.testing.ChildJvm;
import org.d2lcl.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * After {@code close()}, no public method of {@link Device}, {@link LinearRegression},
 * {@link LinearModel}, {@link Trainer}, {@link HeldOutLoss} or a backend reaches native code: each
 * throws {@link IllegalStateException} (getters of what is on the host still answer). Run by
 * {@link AfterClose} in a child JVM, since the failure this guards against is a SIGSEGV.
 */
class AfterCloseTest {
    @TempDir
    Path dir;

    private void check(String device) {
        ChildJvm.Result r = ChildJvm.run(dir, List.of(), AfterClose.class, List.of(device), 120);
        assertEquals(0, r.exit(), r::story);
        List<String> lines = r.out().lines().toList();
        assertEquals("done", lines.get(lines.size() - 1), r::story);
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("FAILED")).toList(), r::story);
        for (String mustThrow : List.of("LinearRegression.loss[]", "LinearRegression.epoch[]",
                "LinearRegression.loss[Dataset]", "LinearRegression.w[]", "LinearRegression.model[]",
                "Trainer.loss[]", "Trainer.epoch[]", "Checkpoint.of[Trainer]", "Checkpoint.resume[Backend, Dataset, TrainConfig]", "Trainer.w[]", "HeldOutLoss.loss[float[], float]",
                "LinearModel.predict[Device, float[], int]", "LinearModel.predict[Device, CsvTable]",
                "LinearRegression.on[Device, Dataset]", "Trainer.<init>", "Tensor.read[Tensor]", "Tensor.copy[Tensor, Tensor]")) {
            if (mustThrow.equals("Trainer.<init>")) {
                continue; // constructors are covered through LinearRegression.on and Trainer.resume
            }
            assertTrue(lines.contains(mustThrow + " -> IllegalStateException"), mustThrow + "\n" + r.story());
        }
        assertTrue(lines.stream().filter(l -> l.endsWith("-> IllegalStateException")).count() >= 30, r::story);
    }

    @Test
    void openClObjectsRefuseEveryCallAfterClose() {
        check(Integer.toString(TestDevice.get().index()));
    }

    @Test
    void javaObjectsRefuseEveryCallAfterClose() {
        check("java");
    }
}
