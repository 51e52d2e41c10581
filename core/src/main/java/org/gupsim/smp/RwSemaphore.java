package org.gupsim.smp;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedLock;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * A reader-writer semaphore, as {@code mm->mmap_lock} is. Mirrors kernel/locking/rwsem.c: readers
 * share it, a writer has it alone; a CPU that cannot have it waits (not runnable) until it can.
 */
public final class RwSemaphore implements SchedLock {
    private final String name;
    private final Sched sched;
    private int readers;
    private Cpu writer;

    public RwSemaphore(String name, Sched sched) {
        this.name = name;
        this.sched = sched;
    }

    /** Mirrors {@code down_read()} ({@code mmap_read_lock()}). */
    public void downRead(Cpu cpu) {
        if (writer == cpu) {
            sched.point(this, Access.ACQUIRE, "down_read");
            sched.report(new Violation(ViolationKind.LOCKING, name + " read-locked by " + cpu + " which holds it for write"));
            return;
        }
        if (writer == null && !sched.explored()) {
            readers++;
            return;
        }
        cpu.spinUntil(this, "down_read", () -> writer == null, name + " write-held by " + writer);
        readers++;
    }

    /** Mirrors {@code down_read_trylock()} ({@code mmap_read_trylock()}): the lock for read if no writer holds it. */
    public boolean downReadTrylock(Cpu cpu) {
        sched.point(this, Access.ACQUIRE, "down_read_trylock");
        if (writer != null) {
            return false;
        }
        readers++;
        return true;
    }

    /** Mirrors {@code down_write_trylock()} ({@code mmap_write_trylock()}): the lock for write if no one holds it. */
    public boolean downWriteTrylock(Cpu cpu) {
        sched.point(this, Access.ACQUIRE, "down_write_trylock");
        if (writer != null || readers > 0) {
            return false;
        }
        writer = cpu;
        return true;
    }

    /** Mirrors {@code up_read()}. */
    public void upRead(Cpu cpu) {
        if (readers == 0) {
            sched.report(new Violation(ViolationKind.LOCKING, name + " read-unlocked by " + cpu + " but not read-held"));
            return;
        }
        sched.point(this, Access.RELEASE, "up_read");
        readers--;
    }

    /** Mirrors {@code down_write()} ({@code mmap_write_lock()}). */
    public void downWrite(Cpu cpu) {
        if (writer == cpu) {
            sched.point(this, Access.ACQUIRE, "down_write");
            sched.report(new Violation(ViolationKind.LOCKING, name + " write-locked by " + cpu + " which already holds it"));
            return;
        }
        if (writer == null && readers == 0 && !sched.explored()) {
            writer = cpu;
            return;
        }
        cpu.spinUntil(this, "down_write", () -> writer == null && readers == 0,
                name + " held (writer " + writer + ", readers " + readers + ")");
        writer = cpu;
    }

    /** Mirrors {@code up_write()}. */
    public void upWrite(Cpu cpu) {
        if (writer != cpu) {
            sched.report(new Violation(ViolationKind.LOCKING, name + " write-unlocked by " + cpu + " but held by " + writer));
            return;
        }
        sched.point(this, Access.RELEASE, "up_write");
        writer = null;
    }

    public boolean isWriteLocked() {
        return writer != null;
    }

    /** Whether {@code cpu} holds it for write (what lockdep's {@code lockdep_assert_held_write()} asks). */
    public boolean isWriteLockedBy(Cpu cpu) {
        return writer != null && writer == cpu;
    }

    public boolean isLocked() {
        return writer != null || readers > 0;
    }

    /**
     * {@code down_read()} waits for a shared hold (it waits only while a writer holds it),
     * {@code down_write()} for an exclusive one (it waits while anyone holds it); a release gives
     * back the writer's exclusive hold or a reader's shared one.
     */
    @Override
    public Hold hold(Access access, String function) {
        if (access == Access.RELEASE) {
            return writer != null ? Hold.EXCLUSIVE : Hold.SHARED;
        }
        if (access == Access.ACQUIRE) {
            return function.startsWith("down_read") ? Hold.SHARED : Hold.EXCLUSIVE;
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
