package org.gupsim.smp;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * A kernel spinlock ({@code spinlock_t}): page-table lock, i_mmap lock, folio lock.
 *
 * <p>Direct mode has one running CPU, so finding the lock held when taking it can only be a
 * self-deadlock; that is reported as a violation rather than spinning forever.
 */
public final class SpinLock {
    private final String name;
    private final Sched sched;
    private Cpu owner;

    public SpinLock(String name, Sched sched) {
        this.name = name;
        this.sched = sched;
    }

    /** Mirrors {@code spin_lock()}. */
    public void lock(Cpu cpu) {
        sched.point(this, Access.ACQUIRE, "spin_lock");
        if (owner != null) {
            sched.report(new Violation(ViolationKind.LOCKING,
                    name + " taken by " + cpu + " while held by " + owner));
            return;
        }
        owner = cpu;
    }

    /** Mirrors {@code spin_trylock()}. */
    public boolean tryLock(Cpu cpu) {
        sched.point(this, Access.ACQUIRE, "spin_trylock");
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
        owner = null;
        sched.point(this, Access.RELEASE, "spin_unlock");
    }

    public boolean isLocked() {
        return owner != null;
    }

    public Cpu owner() {
        return owner;
    }

    @Override
    public String toString() {
        return name;
    }
}
