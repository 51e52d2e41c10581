package org.gupsim.tlb;

import org.gupsim.smp.Cpu;

/**
 * A paravirtual TLB flush, as KVM guests do it ({@code kvm_flush_tlb_multi()}): a vCPU the
 * hypervisor has preempted is not interrupted; its flush is left to the hypervisor, which does it
 * before the vCPU runs again. Running vCPUs get IPIs and are waited for, as natively. So a vCPU
 * preempted in the middle of GUP-fast, IRQs off or not, does not hold the flush up: only RCU table
 * freeing keeps its page tables alive.
 */
public final class ParavirtFlush implements FlushBackend {

    @Override
    public Style style() {
        return Style.PARAVIRT;
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
            mm.smp().sched().point(c, org.gupsim.sched.Access.READ, "kvm_flush_tlb_multi(preempted?)");
            if (c.preempted()) {
                mm.tlbs().of(c.id()).deferFlush();
            } else {
                running |= 1L << c.id();
            }
        }
        int ipis = mm.smp().smpCallFunctionMany(running,
                cpu -> mm.tlbs().of(cpu).flushMm(mm.id(), "flush_tlb_func"), true, "kvm_flush_tlb_multi");
        mm.countFlush(ipis);
    }
}
