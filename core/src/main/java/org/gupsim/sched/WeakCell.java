package org.gupsim.sched;

/**
 * Shared memory a weaker memory model than sequential consistency can delay: an object whose
 * entries (page-table entries, a folio's counts, a word of flags) the kernel reads and writes with
 * marked accesses, each announced by a {@link Sched#point} naming the object and the entry.
 *
 * <p>Under sequential consistency, and in direct mode, nothing changes: the object's own fields
 * are memory. Under a model with store buffers the fields keep the newest value some CPU has
 * stored (what that CPU reads back), while the explorer's store buffers remember what the other
 * CPUs can see; a read point then gets its value through {@link Sched#load}. That is why every
 * read of such an entry that other CPUs' stores race with must be a read point followed by
 * {@code sched.load(this, index, field)}, and every write a write or read-modify-write point.
 */
public interface WeakCell {

    /** How a buffered store to an entry becomes visible when it leaves the store buffer. */
    enum Merge {
        /** The entry takes the stored value (a page-table entry, a pointer). */
        REPLACE,
        /**
         * The store added a difference to a count, which is added to whatever the count is then.
         * A read-modify-write of such an entry that is not fully ordered is taken to be a
         * non-returning atomic ({@code atomic_add()}, {@code atomic_sub()}): its value is not read
         * where it is made, so it needs nothing from memory until it becomes visible. A
         * value-returning one must be fully ordered ({@code Order.FULL}), as every value-returning
         * atomic the model uses on counts is.
         */
        ADD,
        /**
         * The store set or cleared bits of a flags word; the other bits are left as they are then.
         * A read-modify-write that is not fully ordered is taken to be {@code set_bit()} /
         * {@code clear_bit()} (no value returned), as for {@link #ADD}.
         */
        BITS
    }

    /** The entry's value as the object holds it now. */
    long weakValue(int index);

    /**
     * Sets the entry to what memory holds once every store to it has become visible, when the
     * stores became visible in another order than they were made. Not a kernel access: no point,
     * no listener.
     */
    void setWeakValue(int index, long value);

    /** How stores to the entry combine with stores of other CPUs that became visible meanwhile. */
    Merge weakMerge(int index);
}
