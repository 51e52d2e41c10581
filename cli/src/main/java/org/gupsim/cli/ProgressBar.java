package org.gupsim.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.Comparison;

/**
 * A one-line progress bar on stderr, redrawn with a carriage return after each cell, for
 * {@code compare} when the terminal is interactive. Never drawn into a pipe or a file, so logs and
 * captured output stay clean.
 */
final class ProgressBar implements Comparison.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /**
     * A bar writing to {@code err} when the JVM has an interactive console, else null. On JDK 22+
     * {@link System#console()} returns a console even when redirected, so there
     * {@code Console.isTerminal()} (looked up by reflection: gupsim targets 21) decides.
     */
    static ProgressBar onTerminal(PrintWriter err) {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            if (!(Boolean) isTerminal.invoke(c)) {
                return null;
            }
        } catch (NoSuchMethodException e) {
            // JDK 21: a non-null console is a terminal.
        } catch (ReflectiveOperationException e) {
            return null;
        }
        return new ProgressBar(err);
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
