package org.gupsim.cli;

import java.io.PrintWriter;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.Comparison;

/**
 * A one-line progress bar on stderr, redrawn with a carriage return after each cell, for
 * {@code compare} when stderr is a terminal. Never drawn into a pipe or a file, so logs and
 * captured output stay clean.
 *
 * <p>Whether stderr is a terminal is the launcher's to say ({@link Main#STDERR_TERMINAL_PROPERTY},
 * from {@code [ -t 2 ]}): Java can only ask about stdin and stdout ({@link System#console()}), which
 * is the wrong question for {@code gupsim compare > report.txt}, where the bar belongs on the
 * terminal, and for {@code gupsim compare 2> log}, where it does not.
 */
final class ProgressBar implements Comparison.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar writing to {@code err} when it is a terminal, else null. */
    static ProgressBar onTerminal(PrintWriter err, boolean stderrIsTerminal) {
        return stderrIsTerminal ? new ProgressBar(err) : null;
    }

    @Override
    public void cellDone(int done, int total, CellResult cell) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " cells");
        err.flush();
    }

    /** Erases the bar. */
    void clear() {
        err.print("\r" + " ".repeat(WIDTH + 24) + "\r");
        err.flush();
    }
}
