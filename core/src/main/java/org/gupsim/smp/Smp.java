package org.gupsim.smp;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.lang3.Validate;
import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;

/**
 * The machine's CPUs, its RCU state and which CPU the calling code runs on.
 *
 * <p>Direct mode runs everything on CPU 0. An explorer switches {@link #current()} as it hands the
 * baton from one simulated CPU to the next.
 */
public final class Smp {
    private final List<Cpu> cpus;
    private final Rcu rcu;
    private final Sched sched;
    private Cpu current;

    public Smp(int nrCpus, Sched sched) {
        Validate.isTrue(nrCpus >= 1 && nrCpus <= 64, "nrCpus must be between 1 and 64, was %d", nrCpus);
        Validate.isTrue(sched != null, "sched must not be null");
        this.sched = sched;
        this.cpus = IntStream.range(0, nrCpus).mapToObj(i -> new Cpu(i, sched)).toList();
        this.current = cpus.get(0);
        this.rcu = new Rcu(this);
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
     * when every target has run it. In direct mode the other CPUs are idle with IRQs on, so each
     * handler runs at once; an explorer delivers them at the targets' next scheduling points and
     * blocks the sender until they have.
     *
     * @return the number of CPUs interrupted
     */
    public int smpCallFunctionMany(long cpumask, java.util.function.IntConsumer handler, boolean wait, String function) {
        int sent = 0;
        for (Cpu target : cpus) {
            if (target == current || (cpumask & (1L << target.id())) == 0) {
                continue;
            }
            sched.point(target, Access.IPI, function);
            if (target.irqsDisabled()) {
                // Only possible when something left a CPU with IRQs off and nobody runs it:
                // the sender would spin forever, which is the deadlock the kernel would show.
                sched.report(new Violation(ViolationKind.LOCKING, function + ": IPI to " + target
                        + " which has IRQs disabled and is not running"));
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
