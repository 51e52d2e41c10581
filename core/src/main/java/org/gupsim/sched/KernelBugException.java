package org.gupsim.sched;

/** Thrown in direct mode when the model detects a kernel bug; carries the {@link Violation}. */
public final class KernelBugException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Violation violation;

    public KernelBugException(Violation violation) {
        super(violation.toString());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
