package org.gupsim.arch.x86;

import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;

/**
 * Intel RAR (remote action request) as the posted series uses it ("x86/mm: userspace & pageout
 * flushing using Intel RAR", Rik van Riel, RFC May 2025, not in a release the model can confirm):
 * an mm with a global ASID is flushed by {@code rar_tlb_flush()}, which hands every CPU of
 * {@code mm_cpumask()} (lazy ones too: "this code cannot use the should_flush_tlb() logic")
 * a payload in a memory table through {@code smp_call_rar_many()}, and flushes the local TLB
 * itself. The targets' microcode does the invalidation; the series sets
 * {@code RAR_CTRL_IGNORE_IF}, so a target with IRQs off handles it too, and a GUP-fast walker
 * holds nothing up. UNCONFIRMED: that the sender waits for the targets' completion (the series
 * says the call is "inspired by smp_call_function_many()"); it makes no difference to the walker,
 * which cannot delay the microcode either way. An mm without a global ASID is flushed by IPIs as
 * on any x86; the variant starts its mm busy, with one (see {@link X86FlushTlbMmRange}).
 */
final class RarFlush implements FlushBackend {
    /** The whole mask, by microcode, no wait for IRQ-off CPUs. */
    static final ShootdownPromise PROMISE = ShootdownPromise.noWait("RAR", ShootdownPromise.Reach.MM_CPUMASK);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    @Override
    public void initMm(TlbMm mm) {
        mm.setBystanders(X86FlushTlbMmRange.BUSY_BYSTANDERS);
        mm.useGlobalAsid();
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        if (!mm.mmGlobalAsid()) {
            new IpiFlush().flushTlbMmRange(mm, start, end, freedTables);
            return;
        }
        mm.flushLocal("rar_tlb_flush(local)");
        mm.flushOthersWithoutIpi(mm.cpumask(), "smp_call_rar_many");
        mm.countFlush(0);
    }
}
