package org.gupsim.smp;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * One simulated CPU: IRQ state, preempt count and RCU read-side nesting.
 *
 * <p>Under consolidated RCU (4.20 and later) a region with IRQs or preemption disabled is a
 * read-side critical section just like {@code rcu_read_lock()}: {@link #inRcuReadSide()} says
 * whether this CPU currently holds a grace period open.
 */
public final class Cpu {
    private final int id;
    private final Sched sched;
    private boolean irqsDisabled;
    private int preemptCount;
    private int rcuReadDepth;

    Cpu(int id, Sched sched) {
        this.id = id;
        this.sched = sched;
    }

    public int id() {
        return id;
    }

    /** Mirrors {@code local_irq_save()}: disables IRQs and returns whether they were already off. */
    public boolean localIrqSave() {
        sched.point(this, Access.ACQUIRE, "local_irq_save");
        boolean was = irqsDisabled;
        irqsDisabled = true;
        return was;
    }

    /** Mirrors {@code local_irq_restore()}: puts back the state {@link #localIrqSave} returned. */
    public void localIrqRestore(boolean flags) {
        irqsDisabled = flags;
        sched.point(this, Access.RELEASE, "local_irq_restore");
    }

    /** Mirrors {@code local_irq_disable()}. */
    public void localIrqDisable() {
        sched.point(this, Access.ACQUIRE, "local_irq_disable");
        irqsDisabled = true;
    }

    /** Mirrors {@code local_irq_enable()}. */
    public void localIrqEnable() {
        irqsDisabled = false;
        sched.point(this, Access.RELEASE, "local_irq_enable");
    }

    public boolean irqsDisabled() {
        return irqsDisabled;
    }

    /** Mirrors {@code preempt_disable()}. */
    public void preemptDisable() {
        preemptCount++;
    }

    /** Mirrors {@code preempt_enable()}. */
    public void preemptEnable() {
        if (preemptCount == 0) {
            throw new IllegalStateException("preempt_enable without preempt_disable on CPU" + id);
        }
        preemptCount--;
    }

    public int preemptCount() {
        return preemptCount;
    }

    void rcuReadLock() {
        sched.point(this, Access.ACQUIRE, "rcu_read_lock");
        rcuReadDepth++;
    }

    void rcuReadUnlock() {
        if (rcuReadDepth == 0) {
            throw new IllegalStateException("rcu_read_unlock without rcu_read_lock on CPU" + id);
        }
        rcuReadDepth--;
        sched.point(this, Access.RELEASE, "rcu_read_unlock");
    }

    public int rcuReadDepth() {
        return rcuReadDepth;
    }

    /**
     * Whether this CPU holds an RCU grace period open. With {@code splitFlavors} (kernels before
     * 4.20) only an explicit {@code rcu_read_lock()} counts for {@code call_rcu()}; otherwise IRQ-off
     * and preempt-off regions count as well.
     */
    public boolean inRcuReadSide(boolean splitFlavors) {
        if (rcuReadDepth > 0) {
            return true;
        }
        return !splitFlavors && (irqsDisabled || preemptCount > 0);
    }

    @Override
    public String toString() {
        return "CPU" + id;
    }
}
