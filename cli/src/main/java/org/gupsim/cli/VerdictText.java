package org.gupsim.cli;

import org.gupsim.explore.Verdict;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/** The verdict of one execution and its line, shared by {@code explore} and {@code replay}. */
final class VerdictText {
    private VerdictText() {
    }

    /** The verdict of one execution: SAFE without a violation, DEADLOCK for a deadlock, else VIOLATION. */
    static Verdict verdictOf(Violation violation) {
        if (violation == null) {
            return Verdict.SAFE;
        }
        return violation.kind() == ViolationKind.DEADLOCK ? Verdict.DEADLOCK : Verdict.VIOLATION;
    }

    /** {@code VIOLATION: USE_AFTER_FREE: ...} or {@code DEADLOCK: ...}, for a verdict other than SAFE. */
    static String violationLine(Verdict verdict, Violation violation) {
        return verdict == Verdict.DEADLOCK ? "DEADLOCK: " + violation.message() : verdict + ": " + violation;
    }
}
