package org.gupsim.arch.s390.kvm;

/**
 * A KVM memory slot ({@code struct kvm_memory_slot}): guest frames {@code [baseGfn, baseGfn + npages)}
 * live at {@code userspaceAddr} in the VMM's address space. Freed once deleted and no
 * {@code kvm->srcu} reader can see it any more.
 */
public final class Memslot {
    private final int id;
    private final long baseGfn;
    private final long npages;
    private final long userspaceAddr;
    private boolean freed;

    public Memslot(int id, long baseGfn, long npages, long userspaceAddr) {
        this.id = id;
        this.baseGfn = baseGfn;
        this.npages = npages;
        this.userspaceAddr = userspaceAddr;
    }

    public int id() {
        return id;
    }

    public long baseGfn() {
        return baseGfn;
    }

    public long npages() {
        return npages;
    }

    public long userspaceAddr() {
        return userspaceAddr;
    }

    /** Whether {@code gfn} lies in this slot. */
    public boolean contains(long gfn) {
        return gfn >= baseGfn && gfn < baseGfn + npages;
    }

    /** {@code kvm_free_memslot()} has run. */
    public boolean freed() {
        return freed;
    }

    void free() {
        freed = true;
    }

    @Override
    public String toString() {
        return "memslot " + id;
    }
}
