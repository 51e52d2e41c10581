package org.gupsim.smp;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;

/**
 * One simulated CPU: IRQ state, preempt count, RCU read-side nesting, pending IPIs, and (for
 * paravirt guests) whether the hypervisor has preempted it.
 *
 * <p>Under consolidated RCU (4.20 and later) a region with IRQs or preemption disabled is a
 * read-side critical section just like {@code rcu_read_lock()}. Each CPU counts its quiescent
 * states, one per exit from such a section, for both views (see {@link Rcu}).
 *
 * <p>Every state change is announced by a scheduling point before it happens, as the explorer's
 * reduction requires: the point names the access that follows it.
 */
public final class Cpu {
    private final int id;
    private final Sched sched;
    private final String name;
    private boolean irqsDisabled;
    private int preemptCount;
    private int rcuReadDepth;
    private long qsAny;
    private long qsExplicit;
    private final ArrayDeque<IntConsumer> pendingIpis = new ArrayDeque<>();
    private long ipisQueued;
    private long ipisDone;
    private boolean delivering;
    private boolean preempted;
    private final StealTime stealTime;
    private Runnable onQuiescent;
    /**
     * What the points of read-side transitions (IRQs, preemption, rcu_read_lock) name: the RCU
     * state, at this CPU's index. Grace periods read every CPU's transitions, so call_rcu() and the
     * RCU thread's wait (whole object) depend on them while two CPUs' transitions (different
     * indexes) stay independent.
     */
    private Object sectionKey = this;
    private Object activeMm;

    Cpu(int id, Sched sched, String name) {
        this.id = id;
        this.sched = sched;
        this.name = name;
        this.stealTime = new StealTime(sched, name);
    }

    public int id() {
        return id;
    }

    void setOnQuiescent(Runnable hook, Object rcuState) {
        this.onQuiescent = hook;
        this.sectionKey = rcuState;
    }

    /** Whether the CPU is in a read-side section as call_rcu() sees it, before and after 4.20. */
    private boolean inSectionAny() {
        return rcuReadDepth > 0 || irqsDisabled || preemptCount > 0;
    }

    /**
     * The first half of leaving (part of) a read-side section, shared by the IRQ, preemption and
     * RCU exits: the release point named {@code function}, then whether the CPU is in a section
     * before the caller changes its state ({@link #leaving} then counts the quiescent states).
     */
    private boolean releasing(String function) {
        sched.point(sectionKey, id, Access.RELEASE, function);
        return inSectionAny();
    }

    /** {@link #releasing(String)} of a nesting counter at {@code depth}, refusing to go below zero. */
    private boolean releasing(int depth, String function, String opener) {
        if (depth == 0) {
            throw new IllegalStateException(function + " without " + opener + " on " + name);
        }
        return releasing(function);
    }

    private void leaving(boolean wasAny, boolean wasExplicit) {
        boolean changed = false;
        if (wasAny && !inSectionAny()) {
            qsAny++;
            changed = true;
        }
        if (wasExplicit && rcuReadDepth == 0) {
            qsExplicit++;
            changed = true;
        }
        if (changed && onQuiescent != null) {
            onQuiescent.run();
        }
    }

    /** Mirrors {@code local_irq_save()}: disables IRQs and returns whether they were already off. */
    public boolean localIrqSave() {
        sched.point(sectionKey, id, Access.ACQUIRE, "local_irq_save");
        boolean was = irqsDisabled;
        irqsDisabled = true;
        return was;
    }

    /** Mirrors {@code local_irq_restore()}: puts back the state {@link #localIrqSave} returned. */
    public void localIrqRestore(boolean flags) {
        boolean wasAny = releasing("local_irq_restore");
        irqsDisabled = flags;
        leaving(wasAny, false);
        deliverPendingIpis();
    }

    /** Mirrors {@code local_irq_disable()}. */
    public void localIrqDisable() {
        sched.point(sectionKey, id, Access.ACQUIRE, "local_irq_disable");
        irqsDisabled = true;
    }

    /** Mirrors {@code local_irq_enable()}. */
    public void localIrqEnable() {
        boolean wasAny = releasing("local_irq_enable");
        irqsDisabled = false;
        leaving(wasAny, false);
        deliverPendingIpis();
    }

    public boolean irqsDisabled() {
        return irqsDisabled;
    }

    /** Mirrors {@code preempt_disable()}. */
    public void preemptDisable() {
        sched.point(sectionKey, id, Access.ACQUIRE, "preempt_disable");
        preemptCount++;
    }

    /** Mirrors {@code preempt_enable()}. */
    public void preemptEnable() {
        boolean wasAny = releasing(preemptCount, "preempt_enable", "preempt_disable");
        preemptCount--;
        leaving(wasAny, false);
    }

    public int preemptCount() {
        return preemptCount;
    }

    void rcuReadLock() {
        sched.point(sectionKey, id, Access.ACQUIRE, "rcu_read_lock");
        rcuReadDepth++;
    }

    void rcuReadUnlock() {
        boolean wasAny = releasing(rcuReadDepth, "rcu_read_unlock", "rcu_read_lock");
        rcuReadDepth--;
        leaving(wasAny, true);
    }

    public int rcuReadDepth() {
        return rcuReadDepth;
    }

    /**
     * Whether this CPU holds an RCU grace period open. With {@code explicitOnly} (the preemptible
     * flavour of kernels before 4.20, which call_rcu() used) only an explicit
     * {@code rcu_read_lock()} counts; otherwise IRQ-off and preempt-off regions count as well.
     */
    public boolean inRcuReadSide(boolean explicitOnly) {
        return explicitOnly ? rcuReadDepth > 0 : inSectionAny();
    }

    /** Quiescent states passed so far in the given view; see {@link #inRcuReadSide}. */
    long quiescentStates(boolean explicitOnly) {
        return explicitOnly ? qsExplicit : qsAny;
    }

    /** Mirrors {@code switch_mm()}: the address space this CPU now runs ({@code current->active_mm}). */
    public void switchMm(Object mm) {
        this.activeMm = mm;
    }

    /** {@code current->active_mm}, or null before any process ran here. */
    public Object activeMm() {
        return activeMm;
    }

    // ------------------------------------------------------------------ IPIs

    /** Queues an IPI handler; returns its ticket ({@link #ipiDone} reaches it once handled). */
    long queueIpi(IntConsumer handler) {
        pendingIpis.addLast(handler);
        return ++ipisQueued;
    }

    /** Whether the IPI with {@code ticket} has been handled. */
    boolean ipiDone(long ticket) {
        return ipisDone >= ticket;
    }

    /**
     * Whether an IPI sent now is taken at once: IRQs on and the vCPU running. A CPU is always at
     * an instruction boundary between two of its steps, so the interrupt can land exactly there,
     * between a load and the dereference that follows it.
     */
    public boolean takesInterruptsNow() {
        return !irqsDisabled && !preempted;
    }

    /**
     * Runs IPI handlers queued while IRQs were off (or the vCPU preempted), as the interrupt entry
     * does the moment IRQs come back on, or a vCPU the moment the hypervisor runs it again.
     *
     * <p>The CPU's own steps call this (it turns IRQs on, or reaches a point after being resumed,
     * see {@code Smp}), and the host's injection step ({@link #setPreempted}), which the explorer
     * orders against all of them; so only the IRQ state counts. In particular the
     * step must not read {@link #preempted}, which only the hypervisor's steps write and which the
     * step did not announce: the explorer may run a step the vCPU announced before the hypervisor
     * preempted it (the preemption takes effect at the vCPU's next point), and that step's outcome
     * must be the same in either order, as the reduction assumes.
     */
    void deliverPendingIpis() {
        if (delivering || irqsDisabled) {
            return;
        }
        delivering = true;
        try {
            while (!pendingIpis.isEmpty() && !irqsDisabled) {
                IntConsumer h = pendingIpis.pollFirst();
                h.accept(id);
                sched.point(this, Access.WRITE, "generic_smp_call_function_single_interrupt");
                ipisDone++;
            }
        } finally {
            delivering = false;
        }
    }

    /**
     * Spins until {@code condition} holds, as a CPU spinning on a lock or on
     * {@code csd_lock_wait()} does; meanwhile, with IRQs on, it still takes IPIs (senders run
     * them at once, see {@link #takesInterruptsNow()}). {@code object} is what the condition reads.
     */
    public void spinUntil(Object object, String function, BooleanSupplier condition, String waitingFor) {
        sched.waitUntil(object, -1, Access.ACQUIRE, function, condition, waitingFor);
    }

    // ------------------------------------------------------------------ paravirt

    /**
     * Whether the hypervisor has stopped running this vCPU (paravirt guests only): it takes no
     * interrupt and runs no step until it is resumed. What the guest sees of it is the
     * {@link #stealTime()} word, which the hypervisor writes separately.
     */
    public boolean preempted() {
        return preempted;
    }

    /** This vCPU's steal-time {@code preempted} byte, shared with the hypervisor (paravirt guests only). */
    public StealTime stealTime() {
        return stealTime;
    }

    /**
     * The hypervisor stops ({@code true}) or resumes running this vCPU; announced as a write to the
     * CPU, which IPI senders and the vCPU's wait to run again read.
     *
     * <p>Interrupts queued while the vCPU was stopped are injected as it enters again: if there are
     * any, a second step of the host, announced as an interrupt of the vCPU ({@link Access#IPI}, so
     * the explorer orders it against every step of the vCPU, as a sender's), runs them if the vCPU's
     * IRQs are on. The vCPU also takes them itself at its first point after resuming ({@code Smp});
     * whichever comes first runs them. (A step the vCPU announced before it was stopped, turning
     * IRQs on, may run them too, see {@link #deliverPendingIpis}: the injection step then finds
     * nothing left to do.)
     */
    public void setPreempted(boolean value, String function) {
        sched.point(this, Access.WRITE, function);
        preempted = value;
        if (!value && !pendingIpis.isEmpty()) {
            sched.point(this, Access.IPI, "kvm: inject pending IPIs on entry");
            deliverPendingIpis();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
