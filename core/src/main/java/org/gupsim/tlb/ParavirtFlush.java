package org.gupsim.tlb;

import org.gupsim.sched.Access;
import org.gupsim.smp.Cpu;

/**
 * A paravirtual TLB flush, as KVM guests do it ({@code kvm_flush_tlb_multi()}): a vCPU the
 * hypervisor has preempted is not interrupted; its flush is left to the hypervisor, which does it
 * before the vCPU runs again. The remaining vCPUs go to {@code native_flush_tlb_multi()} (lazy
 * ones skipped unless tables are freed, see {@link IpiFlush}), get IPIs and are waited for. So a
 * vCPU preempted in the middle of GUP-fast, IRQs off or not, does not hold the flush up: only RCU
 * table freeing keeps its page tables alive. The local flush before is x86 {@code flush_tlb_mm_range()}'s,
 * as on bare metal ({@link IpiFlush}).
 */
public final class ParavirtFlush extends IpiFlush {
    /** IPIs to running vCPUs of the mask (as natively), preempted ones deferred to the host. */
    public static final ShootdownPromise PROMISE = new ShootdownPromise("PARAVIRT",
            ShootdownPromise.Reach.MM_CPUMASK_NOT_LAZY, true, true);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    /** Mirrors {@code kvm_flush_tlb_multi()}, KVM's {@code flush_tlb_multi()}. */
    @Override
    protected int flushTlbMulti(TlbMm mm, long cpumask, boolean freedTables) {
        long running = 0;
        Cpu self = mm.smp().current();
        for (Cpu c : mm.smp().cpus()) {
            // The mask is read as the walk goes (other CPUs may run at the points below), as the
            // model always has; arch/x86/kernel/kvm.c kvm_flush_tlb_multi() first copies it to its
            // per-CPU flushmask (cpumask_copy()) and walks the copy.
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
        return nativeFlushTlbMulti(mm, running, freedTables, "kvm_flush_tlb_multi");
    }
}
