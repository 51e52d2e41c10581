package org.gupsim.arch.s390.kvm;

import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to KVM, contributed by the s390 module that models it. */
public final class KvmPatches implements PatchProvider {
    /**
     * KVM frees a deleted memslot without waiting for {@code kvm->srcu} readers: no
     * {@code synchronize_srcu_expedited()} between publishing the new memslot array and freeing
     * the old slot, so a {@code gfn_to_hva()} that found the slot may read it after it was freed.
     */
    public static final Patch NO_MEMSLOT_SRCU_SYNC = Patch.builder("no-memslot-srcu-sync")
            .description("KVM frees a deleted memslot without waiting for kvm->srcu readers (no synchronize_srcu)")
            .undoes("synchronize_srcu_expedited() in kvm_swap_active_memslots()")
            .set(KvmFeatures.MEMSLOT_SRCU_SYNC, false)
            .build();
}
