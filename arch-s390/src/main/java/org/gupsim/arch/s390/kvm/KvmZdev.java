package org.gupsim.arch.s390.kvm;

/**
 * KVM's side of a passed-through zPCI function ({@code struct kvm_zdev}): the VM it belongs to
 * and the forwarding values saved at enable time ({@code kzdev->fib}): the host ISC and the
 * host physical address of the pinned AIBV (0 while forwarding is off).
 */
public final class KvmZdev {
    final ZpciDev zdev;
    Kvm kvm;
    int fibIsc;
    long fibAibv;

    KvmZdev(ZpciDev zdev) {
        this.zdev = zdev;
    }

    public ZpciDev zdev() {
        return zdev;
    }

    public Kvm kvm() {
        return kvm;
    }

    /** {@code kzdev->fib.fmt0.aibv}: non-zero while forwarding is registered. */
    public long fibAibv() {
        return fibAibv;
    }
}
