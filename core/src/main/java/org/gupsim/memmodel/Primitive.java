package org.gupsim.memmodel;

/**
 * The kernel's memory-access and barrier primitives as Documentation/memory-barriers.txt and
 * Documentation/atomic_t.txt define them (the same set tools/memory-model/linux-kernel.def gives
 * herd7). A primitive with an {@link Order} is one access or read-modify-write; what instructions
 * it becomes is each {@link MemoryModel}'s {@link Lowering}.
 */
public enum Primitive {
    /** {@code READ_ONCE()}, {@code atomic_read()}, {@code rcu_dereference()} (with {@link Order#RELAXED}), {@code smp_load_acquire()} (with {@link Order#ACQUIRE}). */
    LOAD,
    /** {@code WRITE_ONCE()}, {@code atomic_set()} (relaxed), {@code smp_store_release()}, {@code rcu_assign_pointer()} (release). */
    STORE,
    /** {@code smp_store_mb()}: a store followed by a full barrier. */
    STORE_MB,
    /** A value-returning read-modify-write: {@code atomic_*_return*()}, {@code atomic_fetch_*()}, {@code xchg*()}, a {@code cmpxchg*()} that succeeded. */
    RMW,
    /** A non-returning atomic ({@code atomic_inc()}, {@code atomic_add()}): unordered in the kernel's contract. */
    RMW_NO_RETURN,
    /** A {@code cmpxchg*()} (or {@code atomic_add_unless()}) that failed: a read, and whatever barrier the implementation executes anyway. */
    CMPXCHG_FAILED,
    /** {@code smp_mb()}. */
    MB,
    /** {@code smp_rmb()}. */
    RMB,
    /** {@code smp_wmb()}. */
    WMB,
    /** {@code smp_mb__before_atomic()}. */
    MB_BEFORE_ATOMIC,
    /** {@code smp_mb__after_atomic()}. */
    MB_AFTER_ATOMIC,
    /** {@code smp_mb__after_spinlock()}. */
    MB_AFTER_SPINLOCK,
    /** {@code spin_lock()}, or a {@code spin_trylock()} that succeeded: an acquiring read-modify-write of the lock word from 0 to 1. */
    SPIN_LOCK,
    /** {@code spin_unlock()}: a releasing store of 0 to the lock word. */
    SPIN_UNLOCK
}
