package org.gupsim.tlb;

/**
 * Hardware-broadcast invalidation (arm64 {@code tlbi ...is} + DSB, s390 IPTE/IDTE, powerpc
 * {@code tlbie}, AMD INVLPGB): every TLB is invalidated by the hardware without interrupting the
 * other CPUs. A lockless walker with IRQs off does not hold it up, which is why such
 * architectures need MMU_GATHER_RCU_TABLE_FREE to keep page tables alive under GUP-fast.
 */
public final class BroadcastFlush implements FlushBackend {

    /** Every CPU's TLB, by hardware, no wait for anybody's IRQs. */
    public static final ShootdownPromise PROMISE = ShootdownPromise.noWait("BROADCAST",
            ShootdownPromise.Reach.ALL_CPUS);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        broadcast(mm);
    }

    /** Invalidates the mm in every CPU's TLB, as broadcast hardware does, and counts one flush. */
    public static void broadcast(TlbMm mm) {
        for (CpuTlb tlb : mm.tlbs().all()) {
            tlb.flushMm(mm.id(), "flush_tlb_mm_range(broadcast)");
        }
        mm.countFlush(0);
    }
}
