package org.gupsim.sched;

/** The kinds of kernel bug the model can detect. */
public enum ViolationKind {
    /** Access to a freed folio, page-table page or address space. */
    USE_AFTER_FREE,
    /** A folio's refcount went below zero. */
    REFCOUNT_UNDERFLOW,
    /** A large folio's pin count went below zero, or a folio was unpinned that was not pinned. */
    PINCOUNT_UNDERFLOW,
    /** A long-term write pin is held on a folio of a dirty-tracked file. */
    LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED,
    /** GUP returned a folio that was not mapped at that address during the call. */
    STALE_PIN,
    /**
     * A pin the mm lost: while GUP's pin is held, the address it was taken for no longer reaches
     * the pinned page, because the kernel itself moved or replaced the page (collapse, migration,
     * swap-out, KSM, CoW), not because the user unmapped it. The device and the process then
     * see different memory.
     */
    PIN_LOST,
    /** Frames, pins or accounting left over when the world was torn down. */
    LEAK,
    /** A lock taken twice by its owner, or released by someone else. */
    LOCKING,
    /**
     * An internal consistency check of the model (a {@code VM_BUG_ON}) failed, or the model made
     * an access a sanitizer reports (KASAN: a read out of bounds of the object it was meant for).
     */
    BUG_ON,
    /**
     * No CPU can make progress: every unfinished CPU waits for a condition that no one can make
     * true (in direct mode: the only running CPU waits for something that does not hold).
     */
    DEADLOCK
}
