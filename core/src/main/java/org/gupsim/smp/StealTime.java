package org.gupsim.smp;

import org.gupsim.sched.Access;
import org.gupsim.sched.Sched;
import org.gupsim.sched.SchedKeyed;

/**
 * The {@code preempted} byte of one vCPU's {@code struct kvm_steal_time}, the word a KVM guest and
 * its host share for paravirtual TLB flushes (arch/x86/include/uapi/asm/kvm_para.h): the host sets
 * {@link #KVM_VCPU_PREEMPTED} when it puts the vCPU, a guest flushing that vCPU's TLB adds
 * {@link #KVM_VCPU_FLUSH_TLB} with a compare-and-exchange instead of interrupting it, and the host
 * exchanges the byte for 0 before the vCPU runs again, flushing its TLB if the guest asked.
 *
 * <p>All four accesses go to this one byte, and each is a scheduling point on it, so the explorer
 * sees every race between guest and host here. The guest's read and its compare-and-exchange are
 * two steps: the host may clear the byte between them, the compare-and-exchange then fails, and the
 * guest interrupts the vCPU instead (arch/x86/kernel/kvm.c {@code kvm_flush_tlb_multi()}). That the
 * flag and the host's clearing are one word is what makes a lost flush impossible.
 */
public final class StealTime implements SchedKeyed {
    /** The host has put the vCPU ({@code KVM_VCPU_PREEMPTED}, bit 0). */
    public static final int KVM_VCPU_PREEMPTED = 1;
    /** A guest asked for the vCPU's TLB to be flushed before it runs again ({@code KVM_VCPU_FLUSH_TLB}, bit 1). */
    public static final int KVM_VCPU_FLUSH_TLB = 1 << 1;

    private final Sched sched;
    private final String key;
    private int preempted;

    StealTime(Sched sched, String vcpu) {
        this.sched = sched;
        this.key = "steal_time(" + vcpu + ")";
    }

    /**
     * Mirrors arch/x86/kvm/x86.c {@code kvm_steal_time_set_preempted()} (from
     * {@code kvm_arch_vcpu_put()}): the host, having stopped the vCPU, stores
     * {@link #KVM_VCPU_PREEMPTED} (a plain store of the whole byte).
     */
    public void setPreempted() {
        sched.point(this, Access.WRITE, "kvm_steal_time_set_preempted");
        preempted = KVM_VCPU_PREEMPTED;
    }

    /** Mirrors the guest's {@code READ_ONCE(src->preempted)} in {@code kvm_flush_tlb_multi()}. */
    public int readOnce(String function) {
        sched.point(this, Access.READ, function);
        return preempted;
    }

    /**
     * Mirrors the guest's {@code try_cmpxchg(&src->preempted, &state, state | KVM_VCPU_FLUSH_TLB)}:
     * stores {@code value} if the byte still holds {@code expected}; false (nothing stored) if the
     * host changed it since the guest read it.
     */
    public boolean tryCmpxchg(int expected, int value, String function) {
        sched.point(this, Access.RMW, function);
        if (preempted != expected) {
            return false;
        }
        preempted = value;
        return true;
    }

    /**
     * Mirrors {@code xchg(&st->preempted, 0)} in arch/x86/kvm/x86.c {@code record_steal_time()}, which
     * the host runs before every entry into the guest: returns what the byte held.
     */
    public int xchgClear() {
        sched.point(this, Access.RMW, "record_steal_time(xchg preempted)");
        int old = preempted;
        preempted = 0;
        return old;
    }

    /** The byte as it is now (for direct-mode checks and tests; not a scheduling point). */
    public int value() {
        return preempted;
    }

    @Override
    public String schedKey() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
