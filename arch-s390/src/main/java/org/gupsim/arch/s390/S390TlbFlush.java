package org.gupsim.arch.s390;

import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;

/**
 * s390's invalidation, arch/s390/mm/pgtable.c {@code ptep_flush_direct()}: IPTE with the local
 * clearing option (machines with TLB_LC, {@code cpu_has_tlb_lc()} in newer trees) when
 * {@code mm_cpumask()} is only the calling CPU, and the global IPTE otherwise, which the machine
 * broadcasts to every CPU without interrupting it. An mmu_gather teardown goes through
 * {@code __tlb_flush_mm()} (IDTE for the address space, UNCONFIRMED in detail: not read this
 * round), also a broadcast; with only the calling CPU in the mask its effect is the local one. So
 * either way no CPU's IRQ state matters, and only RCU table freeing keeps GUP-fast's tables alive.
 * The model takes every machine to have TLB_LC.
 */
final class S390TlbFlush implements FlushBackend {

    @Override
    public ShootdownPromise promise() {
        return BroadcastFlush.PROMISE;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        if (mm.cpumask() == 1L << mm.smp().current().id()) {
            mm.flushLocal("ptep_ipte_local");
            mm.countFlush(0);
        } else {
            BroadcastFlush.broadcast(mm);
        }
    }
}
