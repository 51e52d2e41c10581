package org.gupsim.tlb;

import org.apache.commons.lang3.Validate;
import org.gupsim.smp.Smp;

/**
 * The TLB-side state of one mm: {@code mm_cpumask()}, the CPUs that may hold translations of it,
 * and flush statistics a test or report can read.
 */
public final class TlbMm {
    private final Smp smp;
    private final String name;
    private long cpumask;
    private long flushes;
    private long ipisSent;

    public TlbMm(Smp smp, String name) {
        Validate.isTrue(smp != null, "smp must not be null");
        this.smp = smp;
        this.name = name;
    }

    public Smp smp() {
        return smp;
    }

    /** Mirrors {@code cpumask_set_cpu(cpu, mm_cpumask(mm))} when a CPU switches to this mm. */
    public void addCpu(int cpu) {
        cpumask |= 1L << cpu;
    }

    public void removeCpu(int cpu) {
        cpumask &= ~(1L << cpu);
    }

    public long cpumask() {
        return cpumask;
    }

    public long flushes() {
        return flushes;
    }

    public long ipisSent() {
        return ipisSent;
    }

    void countFlush(int ipis) {
        flushes++;
        ipisSent += ipis;
    }

    @Override
    public String toString() {
        return name;
    }
}
