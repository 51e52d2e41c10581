package org.gupsim.arch.powerpc;

import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;

/**
 * The book3s64 radix flush, {@code radix__flush_tlb_mm()} and friends in
 * arch/powerpc/mm/book3s64/radix_tlb.c. {@code flush_type_needed()} picks:
 * <ul>
 *   <li>LOCAL when the calling CPU is the only one the mm is active on: {@code tlbiel} on this CPU
 *       only (the model: {@code mm_cpumask()} is just this CPU);</li>
 *   <li>GLOBAL otherwise: with {@code cputlb_use_tlbie()} a {@code tlbie} that the hardware
 *       broadcasts to every CPU (escalated to RIC_FLUSH_ALL for an mm with a nest-MMU user, which
 *       the model has not), no interrupt; without it ({@code tlbie} disabled, option {@code +ipi})
 *       {@code _tlbiel_pid_multicast()}: {@code on_each_cpu_mask(mm_cpumask(mm), do_tlbiel_pid, wait=1)},
 *       IPIs to every CPU of the mask, lazy ones included, waited for, which an IRQ-off walker holds up.</li>
 * </ul>
 * Not modelled: the NONE type of an mm active nowhere, the occasional IPIs that trim the mask
 * ({@code exit_flush_lazy_tlbs()}), the hypercall of a guest without GTSE
 * ({@code pseries_rpt_invalidate()}), and nest-MMU escalation.
 */
final class RadixTlbFlush implements FlushBackend {
    /** The IPI multicast of a kernel with {@code tlbie} disabled. */
    static final ShootdownPromise MULTICAST = ShootdownPromise.ipi("IPI-MULTICAST", ShootdownPromise.Reach.MM_CPUMASK);

    private final boolean tlbie;

    /** @param tlbie {@code cputlb_use_tlbie()}: broadcast with tlbie, else IPI multicast */
    RadixTlbFlush(boolean tlbie) {
        this.tlbie = tlbie;
    }

    @Override
    public ShootdownPromise promise() {
        return tlbie ? BroadcastFlush.PROMISE : MULTICAST;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        int self = mm.smp().current().id();
        if (mm.cpumask() == 1L << self) {
            mm.flushLocal("_tlbiel_pid");
            mm.countFlush(0);
        } else if (tlbie) {
            BroadcastFlush.broadcast(mm);
        } else {
            mm.flushLocal("flush_tlb_mm_range(local)");
            int ipis = mm.smp().smpCallFunctionMany(mm.cpumask(),
                    cpu -> mm.tlbs().of(cpu).flushMm(mm.id(), "do_tlbiel_pid"), true, "_tlbiel_pid_multicast");
            mm.countFlush(ipis);
        }
    }
}
