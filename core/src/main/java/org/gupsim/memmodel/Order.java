package org.gupsim.memmodel;

/**
 * The ordering a kernel primitive promises, as Documentation/atomic_t.txt names its variants:
 * {@code _relaxed}, {@code _acquire}, {@code _release}, and the unsuffixed fully ordered form of
 * value-returning atomics.
 */
public enum Order {
    /** No ordering: {@code READ_ONCE}, {@code WRITE_ONCE}, {@code _relaxed}, non-returning atomics. */
    RELAXED,
    /** Later accesses stay after it: {@code smp_load_acquire()}, {@code _acquire}, {@code spin_lock()}. */
    ACQUIRE,
    /** Earlier accesses stay before it: {@code smp_store_release()}, {@code _release}, {@code spin_unlock()}. */
    RELEASE,
    /** Ordered against everything before and after: value-returning atomics without suffix, {@code xchg()}, {@code cmpxchg()} that succeeds. */
    FULL
}
