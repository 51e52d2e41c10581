package org.gupsim.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.Comparison;
import org.gupsim.explore.ExploreControl;

/**
 * The progress line of {@code explore} and {@code compare}, on stderr when it is a terminal:
 * executions so far and their rate, and for compare the cells done. Drawn at the start, after
 * each cell and twice a second (a daemon thread), with a carriage return; erased when the
 * command prints its result. Never
 * drawn into a pipe or a file, so logs and captured output stay clean.
 *
 * <p>Whether stderr is a terminal is the launcher's to say ({@link Main#STDERR_TERMINAL_PROPERTY},
 * from {@code [ -t 2 ]}): Java can only ask about stdin and stdout ({@link System#console()}), which
 * is the wrong question for {@code gupsim compare > report.txt}, where the line belongs on the
 * terminal, and for {@code gupsim compare 2> log}, where it does not. The rate reads the clock; it
 * is shown, never part of a result.
 */
final class ProgressLine implements Comparison.Progress, AutoCloseable {
    private static final int WIDTH = 30;
    private static final long PERIOD_MILLIS = 500;
    private final PrintWriter err;
    private final ExploreControl control;
    private final Thread drawer;
    private final long start = System.nanoTime();
    private volatile int cellsDone;
    private volatile int cells;
    private int drawn;
    private boolean closed;

    private ProgressLine(PrintWriter err, ExploreControl control, int cells, boolean draw) {
        this.err = err;
        this.control = control;
        this.cells = cells;
        if (draw) {
            draw();
            drawer = Thread.ofPlatform().daemon().name("gupsim-progress").start(this::loop);
        } else {
            drawer = null;
        }
    }

    /** The line of one exploration; drawn only when {@code terminal}. */
    static ProgressLine explore(PrintWriter err, boolean terminal, ExploreControl control) {
        return new ProgressLine(err, control, 0, terminal);
    }

    /** The line of a comparison of {@code cells} cells; drawn only when {@code terminal}. */
    static ProgressLine compare(PrintWriter err, boolean terminal, ExploreControl control, int cells) {
        return new ProgressLine(err, control, cells, terminal);
    }

    @Override
    public void cellDone(int done, int total, CellResult cell) {
        cellsDone = done;
        cells = total;
        if (drawer != null) {
            draw();
        }
    }

    private void loop() {
        try {
            while (true) {
                Thread.sleep(PERIOD_MILLIS);
                draw();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        long n = control.executions();
        double seconds = (System.nanoTime() - start) / 1e9;
        String rate = String.format(Locale.ROOT, "%,d schedules, %,.0f/s", n, seconds > 0 ? n / seconds : 0.0);
        String text;
        if (cells > 0) {
            int filled = cellsDone * WIDTH / cells;
            text = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + cellsDone + "/" + cells + " cells, "
                    + rate;
        } else {
            text = "exploring: " + rate;
        }
        if (control.stopRequested()) {
            text += " (stopping)";
        }
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        err.flush();
        drawn = text.length();
    }

    /** Stops drawing and erases the line. */
    @Override
    public void close() {
        if (drawer == null) {
            return;
        }
        drawer.interrupt();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (drawn > 0) {
                err.print("\r" + " ".repeat(drawn) + "\r");
                err.flush();
            }
        }
    }
}
