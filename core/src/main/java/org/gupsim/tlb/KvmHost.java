package org.gupsim.tlb;

import org.gupsim.smp.Cpu;
import org.gupsim.smp.StealTime;

/**
 * The host's half of KVM's paravirtual TLB flush (arch/x86/kvm/x86.c), for the hypervisor actor of
 * a paravirt guest: what KVM does to a vCPU's steal-time word when it stops running the vCPU and
 * before it runs it again. The guest's half is {@link ParavirtFlush}.
 */
public final class KvmHost {
    private KvmHost() {
    }

    /**
     * Mirrors {@code kvm_arch_vcpu_put()}: the vCPU stops running (it takes no interrupt from now
     * on), then {@code kvm_steal_time_set_preempted()} tells the guest so. Two steps: a guest flush
     * between them still sees the vCPU running and interrupts it, and waits until it runs again.
     */
    public static void vcpuPut(Cpu vcpu) {
        vcpu.setPreempted(true, "kvm: vCPU preempted");
        vcpu.stealTime().setPreempted();
    }

    /**
     * Mirrors what {@code vcpu_enter_guest()} does before it enters the vCPU again:
     * {@code record_steal_time()} exchanges the steal-time byte for 0 and, if a guest set
     * {@link StealTime#KVM_VCPU_FLUSH_TLB} in it, flushes the vCPU's TLB
     * ({@code kvm_vcpu_flush_tlb_guest()}); only then does the vCPU run (and take the interrupts
     * pending for it). The flush is a step of the host before the resume, so the vCPU cannot use a
     * stale translation after a guest deferred its flush. A guest that reads the byte after the
     * exchange sees 0 and interrupts the vCPU instead; one that read it before and tries its
     * compare-and-exchange after fails and interrupts it too.
     *
     * @return whether a deferred flush was done
     */
    public static boolean vcpuEnter(Cpu vcpu, CpuTlb tlb) {
        boolean flush = (vcpu.stealTime().xchgClear() & StealTime.KVM_VCPU_FLUSH_TLB) != 0;
        if (flush) {
            tlb.flushGuest("kvm_vcpu_flush_tlb_guest");
        }
        vcpu.setPreempted(false, "kvm: vCPU resumed");
        return flush;
    }
}
