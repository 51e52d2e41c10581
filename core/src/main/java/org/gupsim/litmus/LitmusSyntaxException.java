package org.gupsim.litmus;

/**
 * A litmus test the parser cannot read, or uses something the runner does not model: the message
 * says what, {@link #line()} where (1-based).
 */
public final class LitmusSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public LitmusSyntaxException(int line, String detail) {
        super("line " + line + ": " + detail);
        this.line = line;
    }

    /** The 1-based line the problem is on. */
    public int line() {
        return line;
    }

    /** What is wrong, without the line number. */
    public String detail() {
        return getMessage().substring(getMessage().indexOf(": ") + 2);
    }
}
