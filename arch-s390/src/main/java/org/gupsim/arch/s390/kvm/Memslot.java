package org.gupsim.arch.s390.kvm;

/**
 * A KVM memory slot ({@code struct kvm_memory_slot}): guest frames {@code [baseGfn, baseGfn + npages)}
 * live at {@code userspaceAddr} in the VMM's address space. A slot never changes once created
 * ({@code kvm_set_memory_region()} builds a new one for every change), so it is a value; the VM
 * remembers which slots it has freed ({@link Kvm#memslotFreed}), as KASAN would, and the explorer
 * tells two slots apart by identity, never by these fields.
 */
public record Memslot(int id, long baseGfn, long npages, long userspaceAddr) {

    /** Whether {@code gfn} lies in this slot. */
    public boolean contains(long gfn) {
        return gfn >= baseGfn && gfn < baseGfn + npages;
    }

    @Override
    public String toString() {
        return "memslot " + id;
    }
}
