package org.gupsim.tlb;

import org.gupsim.sched.Access;
import org.gupsim.smp.Cpu;

/**
 * A paravirtual TLB flush, as KVM guests do it ({@code kvm_flush_tlb_multi()}): a vCPU the
 * hypervisor has preempted is not interrupted; its flush is left to the hypervisor, which does it
 * before the vCPU runs again. The remaining vCPUs go to {@code native_flush_tlb_multi()} (lazy
 * ones skipped unless tables are freed, see {@link IpiFlush}), get IPIs and are waited for. So a
 * vCPU preempted in the middle of GUP-fast, IRQs off or not, does not hold the flush up: only RCU
 * table freeing keeps its page tables alive.
 */
public final class ParavirtFlush implements FlushBackend {
    /** IPIs to running vCPUs of the mask (as natively), preempted ones deferred to the host. */
    public static final ShootdownPromise PROMISE = new ShootdownPromise("PARAVIRT",
            ShootdownPromise.Reach.MM_CPUMASK_NOT_LAZY, true, true);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        mm.flushLocal("flush_tlb_mm_range(local)");
        long running = 0;
        Cpu self = mm.smp().current();
        for (Cpu c : mm.smp().cpus()) {
            if (c == self || (mm.cpumask() & (1L << c.id())) == 0) {
                continue;
            }
            // kvm_flush_tlb_multi() reads the vCPU's steal-time "preempted" flag.
            mm.smp().sched().point(c, Access.READ, "kvm_flush_tlb_multi(preempted?)");
            if (c.preempted()) {
                mm.tlbs().of(c.id()).deferFlush();
            } else {
                running |= 1L << c.id();
            }
        }
        mm.countFlush(IpiFlush.nativeFlushTlbMulti(mm, running, freedTables, "kvm_flush_tlb_multi"));
    }
}
