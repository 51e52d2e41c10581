package org.gupsim.tlb;

/**
 * The IPI shootdown of x86 {@code native_flush_tlb_multi()}: every other CPU in
 * {@code mm_cpumask} is interrupted to flush its own TLB, and the sender waits for all of them. A
 * CPU running GUP-fast with IRQs off cannot take the interrupt, so the flush, and any freeing
 * behind it, waits until that walk is over. This is strategy A of mm/gup.c.
 *
 * <p>Lazy-TLB CPUs ({@link TlbMm#enterLazyTlb}) are skipped unless page tables are being freed:
 * {@code on_each_cpu_cond_mask(should_flush_tlb, ...)} versus {@code on_each_cpu_mask(...)} when
 * {@code info->freed_tables} (arch/x86/mm/tlb.c). A lazy CPU runs a kernel thread and walks no
 * user address of this mm; it catches up when it switches back. When tables are freed it must not
 * keep caching pointers into them, so it is interrupted too, and {@code flush_tlb_func()} switches
 * it to {@code init_mm}. A lazy CPU is never in GUP-fast on this mm (GUP-fast works on
 * {@code current->mm}), so the skip cannot affect a walker.
 */
public class IpiFlush implements FlushBackend {
    /** IPIs to the non-lazy CPUs of the mask (all of them when tables are freed), waited for. */
    public static final ShootdownPromise PROMISE = ShootdownPromise.ipi("IPI",
            ShootdownPromise.Reach.MM_CPUMASK_NOT_LAZY);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    /**
     * Mirrors x86 {@code flush_tlb_mm_range()}: the calling CPU's own flush, then
     * {@link #flushTlbMulti} to the others of the mask.
     */
    @Override
    public final void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        mm.flushLocal("flush_tlb_mm_range(local)");
        mm.countFlush(flushTlbMulti(mm, mm.cpumask(), freedTables));
    }

    /**
     * Mirrors the paravirt op {@code flush_tlb_multi()} (x86 {@code pv_ops.mmu.flush_tlb_multi}):
     * on bare metal {@link #nativeFlushTlbMulti}; a guest's hypervisor may supply its own
     * ({@link ParavirtFlush}). Returns the IPIs sent.
     */
    protected int flushTlbMulti(TlbMm mm, long cpumask, boolean freedTables) {
        return nativeFlushTlbMulti(mm, cpumask, freedTables, "flush_tlb_mm_range");
    }

    /**
     * Mirrors {@code native_flush_tlb_multi()} to the CPUs of {@code cpumask}: with
     * {@code freedTables} every one of them, else only those not lazy. Returns the IPIs sent.
     */
    static int nativeFlushTlbMulti(TlbMm mm, long cpumask, boolean freedTables, String function) {
        long targets = freedTables ? cpumask : cpumask & ~mm.lazyMask();
        return mm.smp().smpCallFunctionMany(targets, cpu -> flushTlbFunc(mm, cpu), true, function);
    }

    /** Mirrors {@code flush_tlb_func()} on a target: a lazy CPU leaves the mm, others flush. */
    private static void flushTlbFunc(TlbMm mm, int cpu) {
        if (mm.lazy(cpu)) {
            mm.leaveLazy(cpu, "flush_tlb_func(lazy: switch to init_mm)");
        } else {
            mm.tlbs().of(cpu).flushMm(mm.id(), "flush_tlb_func");
        }
    }
}
