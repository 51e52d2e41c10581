package org.gupsim.arch.s390.kvm;

/**
 * A KVM memory slot: guest frames {@code [baseGfn, baseGfn + npages)} live at
 * {@code userspaceAddr} in the VMM's address space ({@code struct kvm_memory_slot}).
 */
public record Memslot(int id, long baseGfn, long npages, long userspaceAddr) {

    /** Whether {@code gfn} lies in this slot. */
    public boolean contains(long gfn) {
        return gfn >= baseGfn && gfn < baseGfn + npages;
    }
}
