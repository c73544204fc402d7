package org.d2lcl.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The progress bar of a training run, on standard error, drawn only when standard error is a
 * terminal and the run is projected to last longer than {@link #AFTER} (its first epochs' pace
 * times the number of epochs): short runs and logs stay clean.
 *
 * <p>The bar advances once per epoch, with the epoch, the SGD steps so far, the loss and the
 * training examples per second. "Loss" is the epoch loss the run reads anyway after each epoch (the
 * mean squared loss over the training data with the parameters at the end of the latest epoch):
 * nothing is read from the device inside an epoch, so the bar adds no synchronisation.
 *
 * <p>Lines printed while the bar is up go through {@link #printAbove(Runnable)}, which clears the bar,
 * prints, and draws the bar again below, so the two never garble each other on one terminal.
 */
final class Progress implements AutoCloseable {
    /** Runs projected to take longer than this get a bar. */
    static final Duration AFTER = Duration.ofSeconds(2);

    private final PrintWriter err;
    private final boolean terminal;
    private final Duration after;
    private final int width;
    private BarLine line;
    private ProgressBar bar;
    private volatile EpochStats latest;

    /**
     * @param err standard error
     * @param terminal whether {@code err} is a terminal (no bar when it is not)
     * @param after the projected run length above which the bar is drawn
     * @param width the terminal's width in columns, or 0 to ask the terminal
     */
    Progress(PrintWriter err, boolean terminal, Duration after, int width) {
        this.err = err;
        this.terminal = terminal;
        this.after = after;
        this.width = width;
    }

    /** For the command line: {@code err} is the process's standard error. */
    static Progress forStderr(PrintWriter err) {
        return new Progress(err, Terminals.stderrIsTerminal(), AFTER, 0);
    }

    /** True once the bar is drawn. */
    boolean shown() {
        return bar != null;
    }

    /** Advances the bar to {@code s.epoch()}, first drawing it if the run is now projected to be long. */
    void epoch(EpochStats s) {
        if (bar == null) {
            double projected = s.elapsedSeconds() / s.epoch() * s.epochs();
            if (!terminal || s.epoch() >= s.epochs() || projected * 1e9 <= after.toNanos()) {
                return;
            }
            line = new BarLine(err, width > 0 ? width : terminalWidth());
            bar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax(s.epochs())
                    .setRenderer(new Renderer(StandardCharsets.UTF_8.equals(Charset.defaultCharset()), () -> latest))
                    .setUpdateIntervalMillis(200)
                    .setConsumer(line)
                    .startsFrom(0, Duration.ofNanos((long) (s.elapsedSeconds() * 1e9)))
                    .build();
        }
        latest = s;
        bar.stepTo(s.epoch());
    }

    /** Runs {@code print} (which writes whole lines) with the bar cleared, then draws the bar again. */
    void printAbove(Runnable print) {
        if (line == null) {
            print.run();
        } else {
            line.printAbove(print);
        }
    }

    /** Draws the final state and ends the bar's line. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
            // The library skips its own close when the bar is closed before its first refresh ran.
            line.close();
        }
    }

    /**
     * {@code epoch 4/10 |█████▌    | loss 5.02e-05, step 80.0k, 53.3k samples/s, ETA 0:00:14}: the
     * fields that fit beside a bar of at least 10 columns, kept in the order loss, ETA, speed, step.
     */
    static final class Renderer implements ProgressBarRenderer {
        private static final int MIN_BAR = 10;
        private final boolean unicode;
        private final Supplier<EpochStats> latest;

        Renderer(boolean unicode, Supplier<EpochStats> latest) {
            this.unicode = unicode;
            this.latest = latest;
        }

        @Override
        public String render(ProgressState state, int maxLength) {
            return render(state.getCurrent(), state.getMax(), state.getTotalElapsed(), latest.get(), maxLength);
        }

        /** The bar after {@code done} of {@code total} epochs, {@code s} the latest epoch's numbers (or null). */
        String render(long done, long total, Duration elapsed, EpochStats s, int maxLength) {
            String head = String.format(Locale.ROOT, "epoch %d/%d ", done, total);
            String[] fields = new String[4];
            if (s != null) {
                fields[0] = String.format(Locale.ROOT, "loss %.3g", s.loss());
                fields[1] = "step " + human((double) s.epoch() * s.steps());
                fields[2] = human(s.examplesPerSecond()) + " samples/s";
            }
            if (done > 0 && done < total) {
                Duration left = elapsed.multipliedBy(total - done).dividedBy(done);
                fields[3] = String.format(Locale.ROOT, "ETA %d:%02d:%02d", left.toHours(), left.toMinutesPart(),
                        left.toSecondsPart());
            }
            int[] priority = {0, 3, 2, 1};
            boolean[] shown = new boolean[fields.length];
            int room = maxLength - head.length() - 2 - MIN_BAR;
            for (int k : priority) {
                if (fields[k] != null && fields[k].length() + 2 <= room) {
                    shown[k] = true;
                    room -= fields[k].length() + 2;
                }
            }
            StringBuilder tail = new StringBuilder();
            for (int k = 0; k < fields.length; k++) {
                if (shown[k]) {
                    tail.append(tail.length() == 0 ? " " : ", ").append(fields[k]);
                }
            }
            int width = Math.max(1, maxLength - head.length() - 2 - tail.length());
            return head + '|' + bar(width, total > 0 ? (double) done / total : 0) + '|' + tail;
        }

        private String bar(int width, double fraction) {
            double cells = Math.min(1, Math.max(0, fraction)) * width;
            int full = (int) cells;
            StringBuilder sb = new StringBuilder(width);
            sb.append((unicode ? "\u2588" : "=").repeat(full));
            if (full < width) {
                int eighths = (int) ((cells - full) * 8);
                String tip = cells == 0 ? " " : ">";
                sb.append(unicode ? (eighths == 0 ? " " : String.valueOf((char) (0x2590 - eighths))) : tip);
                sb.append(" ".repeat(width - full - 1));
            }
            return sb.toString();
        }
    }

    /** 1234567 as {@code 1.23M}. */
    static String human(double v) {
        if (!Double.isFinite(v)) {
            return "?";
        }
        String[] units = {"", "k", "M", "G", "T"};
        int u = 0;
        while (Math.abs(v) >= 999.5 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f%s" : "%.3g%s", v, units[u]);
    }

    private static int terminalWidth() {
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysErr).build()) {
            int w = t.getWidth();
            return w >= 20 ? w - 1 : 79;
        } catch (Exception | LinkageError e) {
            return 79;
        }
    }

    /** The bar's line on standard error: drawn with a carriage return, cleared for other lines. */
    static final class BarLine implements ProgressBarConsumer {
        private final PrintWriter err;
        private final int width;
        private String last = "";
        private boolean closed;

        BarLine(PrintWriter err, int width) {
            this.err = err;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public synchronized void accept(String rendered) {
            if (closed) {
                return; // a refresh that raced the bar's close must not draw below the finished line
            }
            last = rendered.length() > width ? rendered.substring(0, width) : rendered;
            err.print('\r');
            err.print(last);
            err.flush();
        }

        synchronized void printAbove(Runnable print) {
            err.print("\r\033[K");
            err.flush();
            print.run();
            err.print(last);
            err.flush();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            err.println();
            err.flush();
        }
    }
}
