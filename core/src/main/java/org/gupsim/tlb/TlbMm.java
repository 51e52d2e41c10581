package org.gupsim.tlb;

import org.apache.commons.lang3.Validate;
import org.gupsim.smp.Smp;
import org.gupsim.util.Args;

/**
 * The TLB-side state of one mm: its ASID-like id, {@code mm_cpumask()} (the CPUs that may hold
 * translations of it), the TLBs it lives in, and flush statistics a test or report can read.
 *
 * <p>It also holds the state on which a kernel chooses how to flush, which a scenario may set
 * (issue: "the scenario can set that state"): which CPUs of the mask are in lazy-TLB mode
 * ({@link #enterLazyTlb}), how many further CPUs outside the simulated ones run this process
 * ({@link #setBystanders}), and whether the mm has a global ASID ({@link #mmGlobalAsid}).
 */
public final class TlbMm {
    private final Smp smp;
    private final CpuTlbs tlbs;
    private final int id;
    private final String name;
    private long cpumask;
    private long lazyMask;
    private int bystanders;
    private boolean globalAsid;
    private long flushes;
    private long ipisSent;

    public TlbMm(Smp smp, CpuTlbs tlbs, int id, String name) {
        Validate.isTrue(id > 0, "id must be positive, was %d", id);
        this.smp = Args.notNull(smp, "smp");
        this.tlbs = Args.notNull(tlbs, "tlbs");
        this.id = id;
        this.name = Args.notNull(name, "name");
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

    /**
     * Mirrors x86 {@code enter_lazy_tlb()}: {@code cpu} runs a kernel thread that borrows this mm
     * ({@code cpu_tlbstate_shared.is_lazy}); it stays in {@code mm_cpumask()}, but a flush that
     * frees no page tables skips it ({@code should_flush_tlb()}) and it catches up when it switches
     * back ({@link #switchMm}).
     *
     * @throws IllegalArgumentException if {@code cpu} is not in the mask
     */
    public void enterLazyTlb(int cpu) {
        Validate.isTrue((cpumask & (1L << cpu)) != 0, "cpu %d must be in mm_cpumask to go lazy", cpu);
        lazyMask |= 1L << cpu;
    }

    /** The CPUs of the mask in lazy-TLB mode. */
    public long lazyMask() {
        return lazyMask;
    }

    /** Whether {@code cpu} is in lazy-TLB mode for this mm. */
    public boolean lazy(int cpu) {
        return (lazyMask & (1L << cpu)) != 0;
    }

    /**
     * Mirrors {@code switch_mm_irqs_off()} to this mm on the calling CPU: it joins
     * {@code mm_cpumask()}; coming back from lazy mode it may have missed flushes
     * ({@code tlb_gen} moved on), so its TLB is flushed for this mm.
     */
    public void switchMm(int cpu) {
        addCpu(cpu);
        if (lazy(cpu)) {
            lazyMask &= ~(1L << cpu);
            tlbs.of(cpu).flushMm(id, "switch_mm_irqs_off(tlb_gen behind)");
        }
    }

    /**
     * Mirrors {@code flush_tlb_func()} on a lazy CPU: rather than flush, it switches to
     * {@code init_mm}, which flushes everything of this mm and takes the CPU out of its mask.
     */
    public void leaveLazy(int cpu, String function) {
        tlbs.of(cpu).flushMm(id, function);
        lazyMask &= ~(1L << cpu);
        removeCpu(cpu);
    }

    /**
     * Threads of this process running on CPUs the scenario does not simulate: they are in user
     * mode with IRQs on, so they take any flush at once and never hold one up, but they count
     * where a kernel counts the CPUs an mm is active on ({@code mm_active_cpus_exceeds()}).
     *
     * @throws IllegalArgumentException if negative
     */
    public void setBystanders(int n) {
        Validate.isTrue(n >= 0, "bystanders must not be negative, was %d", n);
        bystanders = n;
    }

    public int bystanders() {
        return bystanders;
    }

    /**
     * Mirrors x86 {@code mm_active_cpus_exceeds()}: CPUs of the mask that run this mm and are not
     * lazy, plus the {@link #bystanders}, compared with {@code threshold}.
     */
    public boolean activeCpusExceed(int threshold) {
        return Long.bitCount(cpumask & ~lazyMask) + bystanders > threshold;
    }

    /** Mirrors x86 {@code mm_global_asid()} != 0: the mm is flushed by broadcast (INVLPGB). */
    public boolean mmGlobalAsid() {
        return globalAsid;
    }

    /** Mirrors x86 {@code use_global_asid()}: from now on the mm has one ASID on every CPU. */
    public void useGlobalAsid() {
        globalAsid = true;
    }

    public long flushes() {
        return flushes;
    }

    public long ipisSent() {
        return ipisSent;
    }

    /** Counts one flush that interrupted {@code ipis} CPUs (for statistics). */
    public void countFlush(int ipis) {
        flushes++;
        ipisSent += ipis;
    }

    /** Flushes this mm from the calling CPU's own TLB. */
    public void flushLocal(String function) {
        tlbs.of(smp.current().id()).flushMm(id, function);
    }

    /**
     * Invalidates this mm in the TLB of every CPU of {@code cpus} but the calling one, without
     * interrupting them: what microcode (Intel RAR) or a hypervisor (Hyper-V's flush hypercall)
     * does for the sender. A target's IRQ state does not matter, so a GUP-fast walker holds
     * nothing up. Counts nothing; the backend counts its flush.
     */
    public void flushOthersWithoutIpi(long cpus, String function) {
        int self = smp.current().id();
        for (int cpu = 0; cpu < smp.cpus().size(); cpu++) {
            if (cpu != self && (cpus & (1L << cpu)) != 0) {
                tlbs.of(cpu).flushMm(id, function);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
