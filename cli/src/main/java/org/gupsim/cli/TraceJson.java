package org.gupsim.cli;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.explore.Verdict;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/** JSON and text pieces shared by {@code explore} and {@code replay}: trace rows and verdict lines. */
final class TraceJson {
    private TraceJson() {
    }

    /**
     * One object per step: {@code step}, {@code thread} (its name, e.g. CPU0 or RCU),
     * {@code function}, {@code access} (null for a wait on an unknown object), {@code object},
     * {@code note} (null unless the thread had waited).
     */
    static List<Json> rows(Trace trace) {
        List<Json> rows = new ArrayList<>(trace.rows().size());
        for (TraceRow r : trace.rows()) {
            rows.add(new Json()
                    .put("step", r.step())
                    .put("thread", trace.threads().get(r.thread()))
                    .put("function", r.function())
                    .put("access", r.access() == null ? null : r.access().name())
                    .put("object", r.object())
                    .put("note", r.note()));
        }
        return rows;
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
