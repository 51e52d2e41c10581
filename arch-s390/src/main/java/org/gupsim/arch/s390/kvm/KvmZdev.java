package org.gupsim.arch.s390.kvm;

/**
 * KVM's side of a passed-through zPCI function ({@code struct kvm_zdev}): the device, the VM it is
 * registered with (both fixed for the life of the registration) and the guest's forwarding values
 * saved at enable time in {@code kzdev->fib}: the ISC and the host physical address of the pinned
 * AIBV ({@code fib().aibv()} is 0 while forwarding is off).
 */
public record KvmZdev(ZpciDev zdev, Kvm kvm, ZpciFib fib) {
}
