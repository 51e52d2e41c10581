package org.gupsim.tlb;

/**
 * The IPI shootdown of x86 {@code native_flush_tlb_multi()} and powerpc's IPI multicast: every
 * other CPU in {@code mm_cpumask} is interrupted to flush its own TLB, and the sender waits for
 * all of them. A CPU running GUP-fast with IRQs off cannot take the interrupt, so the flush, and
 * any freeing behind it, waits until that walk is over. This is strategy A of mm/gup.c.
 */
public final class IpiFlush implements FlushBackend {

    @Override
    public Style style() {
        return Style.IPI;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        mm.flushLocal("flush_tlb_mm_range(local)");
        int ipis = mm.smp().smpCallFunctionMany(mm.cpumask(),
                cpu -> mm.tlbs().of(cpu).flushMm(mm.id(), "flush_tlb_func"), true, "flush_tlb_mm_range");
        mm.countFlush(ipis);
    }
}
