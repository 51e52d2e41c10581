package org.gupsim.arch.s390.kvm;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of arch/s390/kvm and virt/kvm that differ between kernels. */
public final class KvmFeatures implements FeatureProvider {
    /** Which arch/s390/kvm/pci.c runs: as merged in 6.0, or with the 2026 fixes, all in 7.2 ({@link AifCode}). */
    public static final Feature<AifCode> PCI_CODE = Feature.builder("kvm-s390-pci", AifCode.class,
                    "which arch/s390/kvm/pci.c adapter-interrupt forwarding runs")
            .initially("as-merged", AifCode.BEFORE_2026_FIXES, "the code merged in 6.0, unchanged through 7.0",
                    "3c5a1b6f0a18 (6.0)")
            .from("7.2", "2026-fixes", AifCode.WITH_2026_FIXES,
                    "every 2026 fix: error codes, unaccounting, GAIT indexing, NULL vector, REG_INT unwind, "
                            + "reject if already enabled",
                    "16d990a15491 0cfe660559e8 (7.1-rc3), 7b69729046a4 3e3aa6da87d3 (7.2-rc3), "
                            + "Farhan Ali's series (7.2-rc5)")
            .build();

    /**
     * Whether deleting a memslot waits for {@code kvm->srcu} readers before freeing it
     * ({@code synchronize_srcu_expedited()} in virt/kvm/kvm_main.c {@code kvm_swap_active_memslots()}).
     */
    public static final Feature<Boolean> MEMSLOT_SRCU_SYNC = Feature.builder("kvm-memslot-srcu-sync", Boolean.class,
                    "whether memslot deletion waits for kvm->srcu readers before freeing the slot")
            .initially("yes", true, "synchronize_srcu_expedited() between publishing and kvm_free_memslot()",
                    "virt/kvm/kvm_main.c kvm_swap_active_memslots()")
            .offMainline("no", false, "KVM frees a deleted memslot without waiting for kvm->srcu readers",
                    "no kernel: a what-if")
            .build();
}
