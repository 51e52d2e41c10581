package org.gupsim.tlb;

import org.apache.commons.lang3.Validate;
import org.gupsim.smp.Smp;

/**
 * The TLB-side state of one mm: its ASID-like id, {@code mm_cpumask()} (the CPUs that may hold
 * translations of it), the TLBs it lives in, and flush statistics a test or report can read.
 */
public final class TlbMm {
    private final Smp smp;
    private final CpuTlbs tlbs;
    private final int id;
    private final String name;
    private long cpumask;
    private long flushes;
    private long ipisSent;

    public TlbMm(Smp smp, CpuTlbs tlbs, int id, String name) {
        Validate.isTrue(smp != null, "smp must not be null");
        Validate.isTrue(tlbs != null, "tlbs must not be null");
        Validate.isTrue(id > 0, "id must be positive, was %d", id);
        this.smp = smp;
        this.tlbs = tlbs;
        this.id = id;
        this.name = name;
    }

    public Smp smp() {
        return smp;
    }

    public CpuTlbs tlbs() {
        return tlbs;
    }

    /** The id translations of this mm are tagged with in the TLBs. */
    public int id() {
        return id;
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

    /** Flushes this mm from the calling CPU's own TLB. */
    void flushLocal(String function) {
        tlbs.of(smp.current().id()).flushMm(id, function);
    }

    @Override
    public String toString() {
        return name;
    }
}
