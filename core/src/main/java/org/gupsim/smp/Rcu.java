package org.gupsim.smp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.StepMeaning;

/**
 * Read-copy-update: read-side sections on each CPU and {@code call_rcu()} callbacks that run
 * after a grace period. Mirrors kernel/rcu/tree.c at the level GUP-fast relies on.
 *
 * <p>A callback may run once every CPU that was in a read-side section when it was queued has
 * left that section (passed a quiescent state). Which regions count depends on the flavour:
 * since the flavours were consolidated in 4.20, IRQ-off and preempt-off regions hold off every
 * grace period. Before that (patch {@code split-rcu-flavors}, {@link SmpFeatures#RCU_CONSOLIDATED}), {@code call_rcu()} in a
 * preemptible kernel waited only for explicit {@code rcu_read_lock()} sections, while
 * {@code call_rcu_sched()}, which page-table freeing used, also waited for IRQ-off regions.
 *
 * <p>Direct mode runs a callback as soon as it is ready (at once if no CPU is in a section, else
 * when the last one leaves). Explored, callbacks run on the RCU thread ({@link #runRcuThread}),
 * which the explorer schedules like a CPU.
 */
public final class Rcu implements SchedKeyed {
    private final Smp smp;
    private final Sched sched;
    private final List<Callback> pending = new ArrayList<>();
    private final boolean splitFlavors;
    private boolean running;

    private record Callback(Runnable fn, boolean explicitOnly, long[] snapshot) {
    }

    /**
     * @param splitFlavors pre-4.20 RCU (patch {@code split-rcu-flavors}), where IRQ-off does not
     *                     hold off {@code call_rcu()}; fixed when the machine boots, as a kernel's
     *                     RCU is
     */
    Rcu(Smp smp, boolean splitFlavors) {
        this.smp = smp;
        this.sched = smp.sched();
        this.splitFlavors = splitFlavors;
    }

    /** Whether this is pre-4.20 RCU, where IRQ-off does not hold off {@code call_rcu()} (patch {@code split-rcu-flavors}). */
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
    }

    /** Mirrors {@code call_rcu()}: {@code callback} runs after a grace period of the preemptible flavour. */
    public void callRcu(Runnable callback) {
        queue(callback, splitFlavors);
    }

    /**
     * Mirrors {@code call_rcu_sched()} (before 4.20; the same as {@code call_rcu()} since): a grace
     * period that IRQ-off and preempt-off regions also hold off. MMU_GATHER_RCU_TABLE_FREE used it.
     */
    public void callRcuSched(Runnable callback) {
        queue(callback, false);
    }

    private void queue(Runnable callback, boolean explicitOnly) {
        List<Cpu> cpus = smp.cpus();
        long[] snap = new long[cpus.size()];
        for (int i = 0; i < snap.length; i++) {
            Cpu c = cpus.get(i);
            snap[i] = c.inRcuReadSide(explicitOnly) ? c.quiescentStates(explicitOnly) : -1;
        }
        sched.point(this, Access.WRITE, "call_rcu");
        pending.add(new Callback(callback, explicitOnly, snap));
        quiescent();
    }

    private boolean ready(Callback cb) {
        List<Cpu> cpus = smp.cpus();
        for (int i = 0; i < cb.snapshot.length; i++) {
            if (cb.snapshot[i] >= 0 && cpus.get(i).quiescentStates(cb.explicitOnly) <= cb.snapshot[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean anyReady() {
        for (Callback cb : pending) {
            if (ready(cb)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Direct mode: runs every callback whose grace period has ended. The CPUs call this when they
     * leave a read-side section. Explored, the RCU thread does the work and this does nothing.
     */
    public void quiescent() {
        if (running || sched.explored()) {
            return;
        }
        running = true;
        try {
            Callback cb;
            while ((cb = takeReady()) != null) {
                cb.fn.run();
            }
        } finally {
            running = false;
        }
    }

    private Callback takeReady() {
        for (Iterator<Callback> it = pending.iterator(); it.hasNext(); ) {
            Callback cb = it.next();
            if (ready(cb)) {
                it.remove();
                return cb;
            }
        }
        return null;
    }

    /**
     * The RCU callback thread, explored: waits for a grace period to end, runs the callbacks that
     * are ready, and returns once {@code allDone} holds and nothing is pending.
     */
    public void runRcuThread(BooleanSupplier allDone) {
        while (true) {
            // The condition reads the callbacks and every CPU's read-side state, all of which change
            // only at points naming this object (call_rcu, and each CPU's transitions at its index).
            sched.waitUntil(this, -1, Access.READ, "rcu_gp_wait",
                    () -> anyReady() || (allDone.getAsBoolean() && pending.isEmpty()), "an RCU grace period");
            Callback cb = takeReady();
            if (cb == null) {
                return;
            }
            sched.point(this, Access.WRITE, "rcu_do_batch");
            cb.fn.run();
        }
    }

    /** Mirrors {@code synchronize_rcu()}: returns after a full grace period. */
    public void synchronizeRcu() {
        boolean[] done = {false};
        queue(() -> done[0] = true, splitFlavors);
        sched.waitUntil(this, -1, Access.READ, "synchronize_rcu", () -> done[0], "an RCU grace period");
    }

    /** Number of callbacks waiting for a grace period. */
    public int pendingCallbacks() {
        return pending.size();
    }

    @Override
    public String toString() {
        return "rcu";
    }

    @Override
    public String schedKey() {
        return toString();
    }

    /**
     * What the steps naming the RCU state mean, for traces: each CPU's read-side transitions (at
     * its index) are the sections that hold grace periods off — IRQs off, preemption off, an
     * explicit {@code rcu_read_lock()} — and not lock acquisitions, as their ACQUIRE/RELEASE
     * accesses (which the explorer's reduction needs) would suggest; {@code call_rcu()} begins the
     * wait for a grace period and the RCU thread's {@code rcu_gp_wait} ends it. Before 4.20 (split
     * flavours) IRQs and preemption off hold off only {@code call_rcu_sched()}'s grace periods.
     */
    @Override
    public StepMeaning meaning(int index, Access access, String function) {
        // Short enough for a trace column; docs/kernel/gup-fast.md says why these hold grace periods off.
        String holding = splitFlavors ? "holding off RCU-sched (not call_rcu) grace periods"
                : "holding off RCU-sched grace periods";
        return switch (function) {
            case "local_irq_save", "local_irq_disable" -> StepMeaning.begins("IRQs off", "IRQs off, " + holding);
            case "local_irq_restore", "local_irq_enable" -> StepMeaning.ends("IRQs off", "IRQs on again");
            case "preempt_disable" -> StepMeaning.begins("preemption off", "preemption off, " + holding);
            case "preempt_enable" -> StepMeaning.ends("preemption off", "preemption on again");
            case "rcu_read_lock" -> StepMeaning.begins("RCU read side", "RCU read-side section begins");
            case "rcu_read_unlock" -> StepMeaning.ends("RCU read side", "RCU read-side section ends");
            case "call_rcu" -> StepMeaning.begins(StepMeaning.GRACE_PERIOD, "queues a callback for after a grace period");
            case "rcu_gp_wait" -> StepMeaning.ends(StepMeaning.GRACE_PERIOD, "grace period over");
            case "rcu_do_batch" -> StepMeaning.of("runs a callback after its grace period");
            case "synchronize_rcu" -> StepMeaning.of("a grace period passed");
            default -> null;
        };
    }
}
