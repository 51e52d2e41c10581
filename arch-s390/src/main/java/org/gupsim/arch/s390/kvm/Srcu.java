package org.gupsim.arch.s390.kvm;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.smp.Cpu;

/**
 * Sleepable RCU as {@code kvm->srcu} uses it. Mirrors kernel/rcu/srcutree.c at the level KVM relies
 * on: {@code srcu_read_lock()} marks the CPU's reader, {@code synchronize_srcu()} returns once every
 * reader that was inside a section when it started has left it. Unlike RCU, a reader may sleep
 * (so IRQs-off or preemption says nothing), and only this domain's readers count.
 *
 * <p>Each CPU's counters change only at points naming this object at that CPU's index; the
 * waiter's condition reads the whole object (index -1).
 */
final class Srcu {
    private final String name;
    private final Sched sched;
    private final int[] depth;
    private final long[] entries;

    Srcu(String name, Sched sched, int nrCpus) {
        this.name = name;
        this.sched = sched;
        this.depth = new int[nrCpus];
        this.entries = new long[nrCpus];
    }

    /** Mirrors {@code srcu_read_lock()}. */
    void srcuReadLock(Cpu cpu) {
        sched.point(this, cpu.id(), Access.RMW, "srcu_read_lock");
        depth[cpu.id()]++;
        entries[cpu.id()]++;
    }

    /** Mirrors {@code srcu_read_unlock()}. */
    void srcuReadUnlock(Cpu cpu) {
        sched.point(this, cpu.id(), Access.RMW, "srcu_read_unlock");
        depth[cpu.id()]--;
    }

    /**
     * Mirrors {@code synchronize_srcu()} (and the expedited form): waits until each CPU that was
     * in a read-side section at the start has left that section. A caller inside a section of
     * its own would wait for itself: that is a deadlock, as in the kernel.
     */
    void synchronizeSrcu() {
        int n = depth.length;
        boolean[] inside = new boolean[n];
        long[] seen = new long[n];
        for (int c = 0; c < n; c++) {
            inside[c] = depth[c] > 0;
            seen[c] = entries[c];
        }
        sched.waitUntil(this, -1, Access.READ, "synchronize_srcu", () -> {
            for (int c = 0; c < n; c++) {
                if (inside[c] && depth[c] > 0 && entries[c] == seen[c]) {
                    return false;
                }
            }
            return true;
        }, "an SRCU grace period of " + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
