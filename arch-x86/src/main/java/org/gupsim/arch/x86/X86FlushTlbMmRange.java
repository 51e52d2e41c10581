package org.gupsim.arch.x86;

import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;

/**
 * x86 {@code flush_tlb_mm_range()} on a kernel with broadcast TLB invalidation (6.15+,
 * CONFIG_BROADCAST_TLB_FLUSH) on a CPU that has it (AMD INVLPGB). Mirrors arch/x86/mm/tlb.c:
 * <ul>
 *   <li>an mm with a global ASID ({@code mm_global_asid()}) is flushed by
 *       {@code broadcast_tlb_flush()}: INVLPGB then TLBSYNC, by hardware, on every CPU, without an
 *       interrupt, so a CPU in GUP-fast with IRQs off holds nothing up;</li>
 *   <li>otherwise, with other CPUs in {@code mm_cpumask()}, {@code flush_tlb_multi()}: IPIs as
 *       {@link IpiFlush}, waited for; then {@code consider_global_asid()}: an mm active on more than
 *       {@value #GLOBAL_ASID_THRESHOLD} CPUs ({@code mm_active_cpus_exceeds(mm, 3)}: in the mask,
 *       running it, not lazy) is given a global ASID, and its later flushes are broadcasts.</li>
 * </ul>
 * The kernel looks only "every once in a while" ({@code (current->pid & 0x1f) == (jiffies & 0x1f)});
 * the model looks at every IPI flush, so a busy mm switches at its first flush (a simplification in
 * the direction of less IPI protection).
 *
 * <p>Where it starts is the variant's choice ({@link #initMm}): {@code invlpgb} is an mm that was
 * already busy, with a global ASID from the start (it is active on the two simulated CPUs and on
 * {@value #BUSY_BYSTANDERS} more that run user code, see {@link TlbMm#setBystanders}); with option
 * {@code +few-cpus} it is an mm active on three CPUs or fewer, which has none and is flushed by IPIs
 * like {@code native-rcu}, unless a scenario makes it busier.
 */
final class X86FlushTlbMmRange implements FlushBackend {
    /** {@code mm_active_cpus_exceeds(mm, 3)}: a global ASID needs 4 or more active CPUs. */
    static final int GLOBAL_ASID_THRESHOLD = 3;
    /** Threads of a busy mm on CPUs outside the scenario: 2 + 2 = 4 active CPUs. */
    static final int BUSY_BYSTANDERS = 2;

    private final boolean busy;
    private final ShootdownPromise promise;

    /** @param busy whether a new mm is one already active on enough CPUs to have a global ASID */
    X86FlushTlbMmRange(boolean busy) {
        this.busy = busy;
        this.promise = busy ? BroadcastFlush.PROMISE : IpiFlush.PROMISE;
    }

    /**
     * The broadcast of a busy mm or the IPIs of a quiet one. A quiet mm that a scenario makes busy
     * ({@link TlbMm#setBystanders}) switches to broadcasts after its next IPI flush: the promise
     * describes the mm as the variant starts it.
     */
    @Override
    public ShootdownPromise promise() {
        return promise;
    }

    @Override
    public void initMm(TlbMm mm) {
        if (busy) {
            mm.setBystanders(BUSY_BYSTANDERS);
            mm.useGlobalAsid();
        }
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        if (mm.mmGlobalAsid()) {
            BroadcastFlush.broadcast(mm);
            return;
        }
        new IpiFlush().flushTlbMmRange(mm, start, end, freedTables);
        considerGlobalAsid(mm);
    }

    /** Mirrors {@code consider_global_asid()} (sampled every time, see the class comment). */
    private static void considerGlobalAsid(TlbMm mm) {
        if (mm.activeCpusExceed(GLOBAL_ASID_THRESHOLD)) {
            mm.useGlobalAsid();
        }
    }
}
