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
    FREE,
    /**
     * Waiting for another thread of the same machine to get something done, where the object's key
     * is that thread's name: a CPU waiting for its store buffer to drain ({@code smp_mb()} under a
     * memory model with store buffers), or a store buffer waiting for its CPU's next store. Such a
     * step is dependent on every step of the thread it names, as an IPI is on every step of its
     * target.
     */
    FLUSH
}
