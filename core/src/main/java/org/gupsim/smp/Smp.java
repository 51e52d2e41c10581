package org.gupsim.smp;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.util.Args;

/**
 * The machine's CPUs, its RCU state and which CPU the calling code runs on.
 *
 * <p>Direct mode runs everything on CPU 0. An explorer switches {@link #current()} as it hands the
 * baton from one simulated CPU to the next.
 */
public final class Smp {
    /**
     * The most CPUs a machine has: CPU masks ({@code mm_cpumask}, IPI targets) are one {@code long},
     * as in a kernel built with {@code NR_CPUS=64}.
     */
    public static final int MAX_CPUS = 64;

    private final List<Cpu> cpus;
    private final Cpu rcuContext;
    private final Rcu rcu;
    private final Sched sched;
    private Cpu current;

    /**
     * A machine with the consolidated RCU of 4.20 and later.
     *
     * @param nrCpus CPUs named {@code CPU0}..; an explorer's threads 0..nrCpus-1 run them and
     *               thread nrCpus, if present, is the RCU callback thread
     */
    public Smp(int nrCpus, Sched sched) {
        this(nrCpus, sched, false);
    }

    /**
     * @param nrCpus          CPUs named {@code CPU0}..; an explorer's threads 0..nrCpus-1 run them
     *                        and thread nrCpus, if present, is the RCU callback thread
     * @param splitRcuFlavors pre-4.20 RCU, where IRQ-off does not hold off {@code call_rcu()}
     *                        (the kernel feature {@code SmpFeatures.RCU_CONSOLIDATED} off)
     */
    public Smp(int nrCpus, Sched sched, boolean splitRcuFlavors) {
        Validate.isTrue(nrCpus >= 1 && nrCpus <= MAX_CPUS, "nrCpus must be between 1 and %d, was %d", MAX_CPUS,
                nrCpus);
        this.sched = Args.notNull(sched, "sched");
        Cpu[] all = new Cpu[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            all[i] = new Cpu(i, sched, "CPU" + i);
        }
        this.cpus = List.of(all);
        this.rcuContext = new Cpu(nrCpus, sched, "RCU");
        this.current = cpus.get(0);
        this.rcu = new Rcu(this, splitRcuFlavors);
        for (Cpu c : cpus) {
            c.setOnQuiescent(rcu::quiescent, rcu);
        }
        // Explored, the engine tells us who runs, and a vCPU the hypervisor preempted does not run
        // until it is resumed.
        // Both hooks run at every step: they index the array, not the list.
        sched.onSwitch(t -> current = t < all.length ? all[t] : rcuContext);
        sched.onPoint(t -> {
            if (t < all.length) {
                Cpu c = all[t];
                if (c.preempted()) {
                    sched.waitUntil(c, -1, Access.READ, "vcpu preempted", () -> !c.preempted(),
                            "the hypervisor to resume " + c);
                }
                // Interrupts queued while the vCPU was preempted are taken as it enters again;
                // nothing is pending here otherwise (a sender runs the handler of a CPU that takes
                // interrupts at once), so on bare metal this does nothing.
                c.deliverPendingIpis();
            }
        });
    }

    public List<Cpu> cpus() {
        return cpus;
    }

    public Cpu cpu(int id) {
        Validate.isTrue(id >= 0 && id < cpus.size(), "cpu must be between 0 and %d, was %d", cpus.size() - 1, id);
        return cpus.get(id);
    }

    /** Mirrors {@code smp_processor_id()} / {@code this_cpu}: the CPU the calling code runs on. */
    public Cpu current() {
        return current;
    }

    /** Used by the explorer when it switches CPUs. */
    public void setCurrent(Cpu cpu) {
        Validate.isTrue(cpu != null && cpus.contains(cpu), "cpu must belong to this machine");
        this.current = cpu;
    }

    /**
     * Mirrors {@code smp_call_function_many()}: runs {@code handler} on every CPU in
     * {@code cpumask} other than the caller, as an IPI. With {@code wait} the caller returns only
     * when every target has run it. A target with IRQs on takes the interrupt at once (it is at an
     * instruction boundary between any two of its steps), so its handler runs right away; one with
     * IRQs off (say, in the middle of GUP-fast) or preempted by the hypervisor queues it and runs
     * it when IRQs come back on, and the sender waits until then.
     *
     * @return the number of CPUs interrupted
     */
    public int smpCallFunctionMany(long cpumask, IntConsumer handler, boolean wait, String function) {
        if (!sched.explored()) {
            return callDirect(cpumask, handler, function);
        }
        Cpu self = current;
        long[] tickets = new long[cpus.size()];
        int sent = 0;
        for (Cpu target : cpus) {
            if (target == self || (cpumask & (1L << target.id())) == 0) {
                continue;
            }
            sched.point(target, Access.IPI, function);
            if (target.takesInterruptsNow()) {
                handler.accept(target.id());
            } else {
                tickets[target.id()] = target.queueIpi(handler);
            }
            sent++;
        }
        if (wait) {
            for (Cpu target : cpus) {
                long ticket = tickets[target.id()];
                if (ticket != 0) {
                    self.spinUntil(target, function, () -> target.ipiDone(ticket),
                            "IPI acknowledgement from " + target);
                }
            }
        }
        return sent;
    }

    private int callDirect(long cpumask, IntConsumer handler, String function) {
        int sent = 0;
        for (Cpu target : cpus) {
            if (target == current || (cpumask & (1L << target.id())) == 0) {
                continue;
            }
            if (target.irqsDisabled()) {
                // Direct mode runs only the calling CPU; one left with IRQs off can never answer.
                sched.report(new Violation(ViolationKind.DEADLOCK, function + ": IPI to " + target
                        + ", which has IRQs disabled and is not running"));
                continue;
            }
            handler.accept(target.id());
            sent++;
        }
        return sent;
    }

    /** All CPUs as a mask. */
    public long allCpusMask() {
        return cpus.size() == 64 ? -1L : (1L << cpus.size()) - 1;
    }

    public Rcu rcu() {
        return rcu;
    }

    public Sched sched() {
        return sched;
    }
}
