package org.gupsim.smp;

import java.util.ArrayDeque;

/**
 * Read-copy-update: read-side nesting on each CPU and {@code call_rcu()} callbacks that run after
 * a grace period. Mirrors kernel/rcu/tree.c at the level of what GUP-fast relies on.
 *
 * <p>A grace period ends only when no CPU is in a read-side critical section. Direct mode has a
 * single running thread, so a callback queued while some CPU holds a read-side section runs as
 * soon as the last such section ends ({@link #quiescent()}); queued with no reader, it runs at once.
 * That is a legal grace period: no reader that could see the object is still running.
 */
public final class Rcu {
    private final Smp smp;
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    private boolean splitFlavors;
    private boolean running;

    Rcu(Smp smp) {
        this.smp = smp;
    }

    /** Mutant {@code split-rcu-flavors}: pre-4.20 RCU, where IRQ-off does not hold off {@code call_rcu()}. */
    public void setSplitFlavors(boolean split) {
        this.splitFlavors = split;
    }

    public boolean splitFlavors() {
        return splitFlavors;
    }

    /** Mirrors {@code rcu_read_lock()}. */
    public void rcuReadLock(Cpu cpu) {
        cpu.rcuReadLock();
    }

    /** Mirrors {@code rcu_read_unlock()}. */
    public void rcuReadUnlock(Cpu cpu) {
        cpu.rcuReadUnlock();
        quiescent();
    }

    /** Mirrors {@code call_rcu()}: {@code callback} runs after every current reader has finished. */
    public void callRcu(Runnable callback) {
        pending.addLast(callback);
        quiescent();
    }

    /** Whether some CPU holds the current grace period open. */
    public boolean gracePeriodBlocked() {
        for (Cpu c : smp.cpus()) {
            if (c.inRcuReadSide(splitFlavors)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the queued callbacks if no CPU is in a read-side section any more. The kernel code
     * calls this where a CPU leaves a read-side region (IRQs back on, rcu_read_unlock).
     */
    public void quiescent() {
        if (running) {
            return;
        }
        running = true;
        try {
            while (!pending.isEmpty() && !gracePeriodBlocked()) {
                pending.pollFirst().run();
            }
        } finally {
            running = false;
        }
    }

    /** Number of callbacks waiting for a grace period. */
    public int pendingCallbacks() {
        return pending.size();
    }
}
