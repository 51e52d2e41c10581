package org.gupsim.compare;

import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The short text a table cell shows for a violation: the kind, abbreviated, and for a
 * use-after-free what was freed ({@link Violation#subject()}), e.g. {@code UAF page-table} or
 * {@code UAF address-space}.
 */
final class ViolationSummary {
    private ViolationSummary() {
    }

    /** The summary of {@code v}. */
    static String of(Violation v) {
        return switch (v.kind()) {
            case USE_AFTER_FREE -> v.subject().isEmpty() ? "UAF" : "UAF " + v.subject();
            case REFCOUNT_UNDERFLOW -> "refcount underflow";
            case PINCOUNT_UNDERFLOW -> "pincount underflow";
            case LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED -> "long-term write pin";
            case STALE_PIN -> "stale pin";
            case PIN_LOST -> "pin lost";
            case LEAK -> "leak";
            case LOCKING -> "locking";
            case BUG_ON -> "BUG_ON";
            case DEADLOCK -> ViolationKind.DEADLOCK.name();
        };
    }
}
