package com.example.gupsim;

import org.gupsim.tlb.FlushBackend;
import org.gupsim.tlb.ShootdownPromise;
import org.gupsim.tlb.TlbMm;

/**
 * A Hyper-V guest's remote TLB flush, arch/x86/hyperv/mmu.c hyperv_flush_tlb_multi(): one hypercall
 * (HvFlushVirtualAddressSpace/List) has the hypervisor flush every vCPU of the mask it is handed,
 * mm_cpumask(), lazy ones included. No vCPU is interrupted, so one in GUP-fast with IRQs off holds
 * nothing up; that is why hyperv_setup_mmu_ops() installs the RCU tlb_remove_table with it.
 * Not modelled: the fall-back to native_flush_tlb_multi() when no hypercall page exists or it fails.
 */
public final class HypervFlush implements FlushBackend {
    /** What compare reasons from: the whole mask, and no wait for a vCPU with IRQs off. */
    static final ShootdownPromise PROMISE = ShootdownPromise.noWait("HV-HYPERCALL", ShootdownPromise.Reach.MM_CPUMASK);

    @Override
    public ShootdownPromise promise() {
        return PROMISE;
    }

    @Override
    public void flushTlbMmRange(TlbMm mm, long start, long end, boolean freedTables) {
        mm.flushLocal("flush_tlb_mm_range(local)");
        mm.flushOthersWithoutIpi(mm.cpumask(), "hyperv_flush_tlb_multi(hypercall)");
        mm.countFlush(0);
    }
}
