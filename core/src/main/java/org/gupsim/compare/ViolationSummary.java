package org.gupsim.compare;

import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The short text a table cell shows for a violation: the kind, abbreviated, and for a
 * use-after-free what was freed, e.g. {@code UAF page-table} or {@code UAF address-space}. The
 * object is read from the words the model's checkers use in their messages (see
 * {@code PageTable}, {@code PageTables}, {@code AddressSpace}, {@code Task}, {@code PhysMem}).
 */
final class ViolationSummary {
    private ViolationSummary() {
    }

    /** The summary of {@code v}. */
    static String of(Violation v) {
        return switch (v.kind()) {
            case USE_AFTER_FREE -> "UAF" + freedObject(v.message());
            case REFCOUNT_UNDERFLOW -> "refcount underflow";
            case PINCOUNT_UNDERFLOW -> "pincount underflow";
            case LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED -> "long-term write pin";
            case STALE_PIN -> "stale pin";
            case LEAK -> "leak";
            case LOCKING -> "locking";
            case BUG_ON -> "BUG_ON";
            case DEADLOCK -> ViolationKind.DEADLOCK.name();
            case LIVELOCK -> ViolationKind.LIVELOCK.name();
        };
    }

    private static String freedObject(String message) {
        if (message.contains("address space")) {
            return " address-space";
        }
        if (message.contains("TLB")) {
            return " stale-TLB";
        }
        if (message.contains("touched entry") || message.contains("page table") || message.contains("links freed")) {
            return " page-table";
        }
        if (message.contains("folio")) {
            return " folio";
        }
        return "";
    }
}
