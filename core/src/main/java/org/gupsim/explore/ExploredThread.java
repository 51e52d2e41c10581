package org.gupsim.explore;

import java.util.function.BooleanSupplier;
import org.gupsim.sched.Access;

/**
 * One thread of the target as the {@link Runner} sees it (what Lincheck calls a thread
 * descriptor): where it is in the current execution, the step it announced at its scheduling
 * point, and why it cannot run when it cannot.
 *
 * <p>Only the thread holding the baton reads or writes these fields; the baton hand-off (a
 * volatile write and read in {@link Runner}) orders every access.
 */
final class ExploredThread {

    /** Where the thread is in the current execution. */
    enum Status {
        /** Not yet at its first scheduling point: start-up runs it up to there. */
        STARTING,
        /** Holds the baton and runs its program up to its next scheduling point. */
        RUNNING,
        /** Stopped at a scheduling point; may run whenever it is chosen. */
        READY,
        /**
         * Stopped at a wait ({@code Sched.waitUntil}); may run only while its condition holds,
         * {@link #blockedOn} says what it waits for.
         */
        WAITING,
        /** Its program returned, threw, or was unwound at the end of the execution. */
        FINISHED
    }

    final int index;
    final String name;

    Status status;
    // the announced next step
    Object object;
    int entry;
    Access access;
    String function;
    /** For {@link Status#WAITING}: when the thread may go on; must not have side effects. */
    BooleanSupplier condition;
    /** For {@link Status#WAITING}: what it waits for, for traces and deadlock reports. */
    String blockedOn;
    /** True when some decision since the announcement found the thread blocked. */
    boolean waited;
    /** The announced step in the stable form the search compares, when keys are recorded. */
    StepInfo info;

    ExploredThread(int index, String name) {
        this.index = index;
        this.name = name;
    }

    /** Back to the start of an execution. */
    void reset() {
        status = Status.STARTING;
        object = null;
        condition = null;
        blockedOn = null;
        waited = false;
        info = null;
    }

    /** Stops at a scheduling point (a wait when {@code c} is not null). */
    void announce(Object o, int i, Access a, String f, BooleanSupplier c, String w, StepInfo stepInfo) {
        object = o;
        entry = i;
        access = a;
        function = f;
        condition = c;
        blockedOn = w;
        info = stepInfo;
        status = c == null ? Status.READY : Status.WAITING;
    }

    /** Whether the thread may run the step it announced: not finished and, if waiting, its condition holds. */
    boolean canRun() {
        return status != Status.FINISHED && (condition == null || condition.getAsBoolean());
    }

    /** The thread was chosen: its announced step happens now. */
    void run() {
        waited = false;
        status = Status.RUNNING;
    }

    /** Back from a wait: the condition is no longer needed. */
    void resumed() {
        condition = null;
        blockedOn = null;
    }

    void finish() {
        status = Status.FINISHED;
        object = null;
        condition = null;
        info = null;
    }

    boolean finished() {
        return status == Status.FINISHED;
    }
}
