package org.gupsim.tlb;

/**
 * Hardware-broadcast invalidation (arm64 {@code tlbi ...is} + DSB, s390 IPTE/IDTE, powerpc
 * {@code tlbie}, AMD INVLPGB): every TLB is invalidated by the hardware without interrupting the
 * other CPUs. A lockless walker with IRQs off does not hold it up, which is why such
 * architectures need MMU_GATHER_RCU_TABLE_FREE to keep page tables alive under GUP-fast.
 */
public final class BroadcastFlush implements FlushBackend {

    @Override
    public Style style() {
        return Style.BROADCAST;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        for (CpuTlb tlb : mm.tlbs().all()) {
            tlb.flushMm(mm.id(), "flush_tlb_mm_range(broadcast)");
        }
        mm.countFlush(0);
    }
}
