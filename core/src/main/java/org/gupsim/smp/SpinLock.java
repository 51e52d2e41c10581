package org.gupsim.smp;

import org.gupsim.memmodel.Order;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedLock;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * A kernel spinlock ({@code spinlock_t}): page-table lock, i_mmap lock, folio lock.
 *
 * <p>A contended lock makes the CPU wait in the engine (it is not runnable until the lock is
 * free) rather than spin step by step; while it waits with IRQs on it still takes IPIs, as a
 * spinning CPU does. Taking a lock its own CPU holds is a self-deadlock, reported as such.
 * Direct mode has one running CPU, so a lock found held there can never be released: the wait
 * reports a deadlock.
 */
public final class SpinLock implements SchedLock {
    private final String name;
    private final Sched sched;
    private Cpu owner;

    public SpinLock(String name, Sched sched) {
        this.name = name;
        this.sched = sched;
    }

    /** Mirrors {@code spin_lock()}. */
    public void lock(Cpu cpu) {
        if (owner == cpu) {
            sched.point(this, Access.ACQUIRE, "spin_lock");
            sched.report(new Violation(ViolationKind.LOCKING, name + " taken by " + cpu + " which already holds it"));
            return;
        }
        if (owner == null && !sched.explored()) {
            owner = cpu;
            return;
        }
        cpu.spinUntil(this, "spin_lock", () -> owner == null, name + " held by " + owner);
        owner = cpu;
    }

    /** Mirrors {@code spin_trylock()}. */
    public boolean tryLock(Cpu cpu) {
        // an atomic_try_cmpxchg_acquire() on the lock word: acquire ordering when it succeeds
        sched.point(this, -1, Access.ACQUIRE, Order.ACQUIRE, "spin_trylock");
        if (owner != null) {
            return false;
        }
        owner = cpu;
        return true;
    }

    /** Mirrors {@code spin_unlock()}. */
    public void unlock(Cpu cpu) {
        if (owner != cpu) {
            sched.report(new Violation(ViolationKind.LOCKING,
                    name + " released by " + cpu + " but held by " + owner));
            return;
        }
        sched.point(this, Access.RELEASE, "spin_unlock");
        owner = null;
    }

    public boolean isLocked() {
        return owner != null;
    }

    /** Exclusive: one owner, and {@code spin_lock()} waits until there is none. */
    @Override
    public Hold hold(Access access, String function) {
        return access == Access.ACQUIRE || access == Access.RELEASE ? Hold.EXCLUSIVE : null;
    }

    public Cpu owner() {
        return owner;
    }

    @Override
    public String toString() {
        return name;
    }
}
