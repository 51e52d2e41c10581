package org.gupsim.sched;

/**
 * The scheduling-point seam of one simulated machine.
 *
 * <p>Direct mode leaves {@link #hook} null, so {@link #point} costs one field check and the
 * caller's thread runs the kernel code to completion. An explorer installs a hook and every
 * point becomes a place where it may switch CPUs. A violation the model detects goes to the
 * hook in explored mode and is thrown as a {@link KernelBugException} in direct mode.
 */
public final class Sched {

    private SchedHook hook;

    /** Installs (or with {@code null} removes) the explorer's hook. */
    public void attach(SchedHook newHook) {
        this.hook = newHook;
    }

    /** True when an explorer drives this machine. */
    public boolean explored() {
        return hook != null;
    }

    /** A scheduling point; see {@link SchedHook#point}. */
    public void point(Object object, int index, Access access, String function) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, index, access, function);
        }
    }

    /** A scheduling point without an index. */
    public void point(Object object, Access access, String function) {
        SchedHook h = hook;
        if (h != null) {
            h.point(object, -1, access, function);
        }
    }

    /**
     * Reports a kernel bug the model detected. In direct mode this throws; in explored mode the
     * explorer records it with the trace that led here.
     */
    public void report(Violation violation) {
        SchedHook h = hook;
        if (h != null) {
            h.violation(violation);
        } else {
            throw new KernelBugException(violation);
        }
    }
}
