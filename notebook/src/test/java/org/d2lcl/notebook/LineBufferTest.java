package org.d2lcl.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cell's output reaches the notebook a line at a time, not a printf argument at a time. */
class LineBufferTest {
    /** What the notebook receives: one message per flush of the kernel's stream. */
    private static final class Messages extends OutputStream {
        final List<String> sent = new ArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            if (bytes.size() > 0) {
                sent.add(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
        }
    }

    @Test
    void printfSendsWholeLinesAndFlushSendsTheRest() throws IOException {
        Messages messages = new Messages();
        PrintStream out = new PrintStream(new LineBuffer(messages), false, StandardCharsets.UTF_8);
        out.printf("epoch %d, loss %f%n", 1, 0.5);
        out.printf("epoch %d, loss %f%n", 2, 0.25);
        out.print("w: [");
        out.print(2.0f);
        assertEquals(List.of("epoch 1, loss 0.500000\n", "epoch 2, loss 0.250000\n"), messages.sent);
        out.print("]\nb: ");
        assertEquals("w: [2.0]\n", messages.sent.get(2), "a line ends: it goes with what was held");
        out.print("4.2 ŵ");
        out.flush();
        assertEquals(List.of("epoch 1, loss 0.500000\n", "epoch 2, loss 0.250000\n", "w: [2.0]\n", "b: 4.2 ŵ"),
                messages.sent);
    }
}
