package org.gupsim.litmus;

/**
 * A litmus test too large to run exhaustively: more candidate executions, or more paths through
 * one thread, than {@link LitmusRunner} considers, or nested too deeply to evaluate. The message
 * says which limit and what the test has; nothing was judged, so there is no verdict.
 */
public final class LitmusLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public LitmusLimitException(String message) {
        super(message);
    }
}
