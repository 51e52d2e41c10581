/**
 * KVM on s390 as a GUP caller: a VM with memslots and a GISA, QEMU's guest-memory backends mapped
 * into the VMM process, zPCI pass-through devices and adapter-interrupt forwarding (AIF), which
 * pins two guest pages long-term with {@code pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM)}.
 * Mirrors arch/s390/kvm/pci.c, arch/s390/kvm/interrupt.c ({@code kvm_s390_gisc_register()}),
 * virt/kvm/kvm_main.c (memslots, {@code gfn_to_hva()}, SRCU) and the QEMU
 * {@code memory-backend-*} objects (backends/hostmem-*.c).
 *
 * <p>Entry point: {@link org.gupsim.arch.s390.kvm.S390Guest#boot}; the two scenarios
 * {@code kvm-s390-aif-enable} and {@code kvm-s390-aif-vs-unplug} and the matrix
 * {@link org.gupsim.arch.s390.kvm.KvmS390Matrix} build on it. The kernel version chooses the pci.c
 * ({@link org.gupsim.arch.s390.kvm.AifCode}): the 2026 fixes from 7.2 on. Spec: kernel-semantics.md
 * §4, §5, §7.
 */
package org.gupsim.arch.s390.kvm;
