package org.gupsim.tlb;

import org.gupsim.smp.Cpu;
import org.gupsim.smp.StealTime;

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

    /**
     * Mirrors arch/x86/kernel/kvm.c {@code kvm_flush_tlb_multi()}, KVM's {@code flush_tlb_multi()}.
     *
     * <p>{@code cpumask} is the per-CPU {@code flushmask} the kernel copies {@code mm_cpumask} into
     * ({@code cpumask_copy()}) before it walks it: CPUs that join the mm afterwards are not looked
     * at. For each vCPU of the copy the guest reads its steal-time byte ({@code READ_ONCE}); if the
     * host has marked it {@link StealTime#KVM_VCPU_PREEMPTED}, it adds
     * {@link StealTime#KVM_VCPU_FLUSH_TLB} with {@code try_cmpxchg()} and drops the vCPU from the
     * copy: the host flushes its TLB before it runs again ({@link KvmHost#vcpuEnter}). The read and
     * the compare-and-exchange are separate steps, and the host may resume the vCPU (exchanging the
     * byte for 0) between them: the compare-and-exchange then fails and the vCPU keeps its place in
     * the mask, so it gets the IPI. Since the flag and the host's clearing are one byte, no order
     * of the two loses the flush. The calling vCPU is running, so the host never marks it; the
     * kernel does not skip it and neither would that change anything, but the model skips it as
     * {@code native_flush_tlb_multi()} does (no point on a byte nobody else writes now).
     */
    @Override
    protected int flushTlbMulti(TlbMm mm, long cpumask, boolean freedTables) {
        long flushmask = cpumask;
        Cpu self = mm.smp().current();
        for (Cpu c : mm.smp().cpus()) {
            if (c == self || (flushmask & (1L << c.id())) == 0) {
                continue;
            }
            StealTime st = c.stealTime();
            int state = st.readOnce("kvm_flush_tlb_multi(READ_ONCE preempted)");
            if ((state & StealTime.KVM_VCPU_PREEMPTED) != 0
                    && st.tryCmpxchg(state, state | StealTime.KVM_VCPU_FLUSH_TLB,
                            "kvm_flush_tlb_multi(try_cmpxchg FLUSH_TLB)")) {
                flushmask &= ~(1L << c.id());
            }
        }
        return nativeFlushTlbMulti(mm, flushmask, freedTables, "kvm_flush_tlb_multi");
    }
}
