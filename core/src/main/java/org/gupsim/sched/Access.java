package org.gupsim.sched;

/** What a scheduling point does to the object it names. */
public enum Access {
    /** A plain or {@code READ_ONCE} load. */
    READ,
    /** A plain or {@code WRITE_ONCE} store. */
    WRITE,
    /** An atomic read-modify-write (refcount add, cmpxchg, seqcount bump). */
    RMW,
    /** Taking a lock or disabling IRQs/preemption. */
    ACQUIRE,
    /** Releasing a lock or re-enabling IRQs/preemption. */
    RELEASE,
    /** Sending an inter-processor interrupt. */
    IPI,
    /** Freeing an object (a folio, a page-table page, an address space). */
    FREE
}
