package org.gupsim.gup;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/**
 * The features of mm/gup.c that differ between kernels, each with the commits that changed it.
 * The file-backed long-term write-pin rule came with Lorenzo Stoakes' 2023 series "mm/gup:
 * disallow FOLL_LONGTERM GUP-(fast) writing to file-backed mappings": its v6 and v7 postings are
 * values no release had (the presets {@code v6-patch} and {@code v7-patch} set them); v9 was
 * merged for 6.5.
 */
public final class GupFeatures implements FeatureProvider {

    /** How the slow path's {@code check_vma_flags()} treats writes to file mappings. */
    public enum SlowFileCheck {
        NONE, V6_INVERTED, V7_PIN_OR_LONGTERM, MERGED
    }

    /**
     * GUP-fast's per-folio permission check, {@code gup_fast_folio_allowed()} and its ancestors:
     * what it refuses, where it runs, what it reads. Its values are {@link GupFastFolioCheck}s, so
     * a patch can set its own ({@link KernelFolioChecks} has the kernel's).
     */
    public static final Feature<GupFastFolioCheck> FOLIO_CHECK = Feature.builder("gup-fast-folio-check",
                    GupFastFolioCheck.class,
                    "GUP-fast's per-folio check (gup_fast_folio_allowed() and its ancestors) and where it runs")
            .initially("none", KernelFolioChecks.NONE, "no check: only fsdax is refused, by the slow path",
                    "before a6e79df92e4a")
            .from("6.5", "folio-fast-pin-allowed", KernelFolioChecks.FOLIO_FAST_PIN_ALLOWED,
                    "folio_fast_pin_allowed() after the PMD/PTE recheck: long-term write pins of file folios other "
                            + "than shmem refused, folio->mapping read once with READ_ONCE",
                    "a6e79df92e4a")
            .from("6.10", "gup-fast-folio-allowed", KernelFolioChecks.GUP_FAST_FOLIO_ALLOWED,
                    "gup_fast_folio_allowed(): the same, and order-0 secretmem folios refused for every call",
                    "f002882ca369")
            .offMainline("v6-try-grab-rcu", KernelFolioChecks.V6_TRY_GRAB,
                    "in try_grab_folio() before the PTE recheck; folio->mapping read twice under rcu_read_lock() "
                            + "where tables are RCU-freed",
                    "v6 posting, 2 May 2023")
            .offMainline("v7-try-grab", KernelFolioChecks.V7_TRY_GRAB,
                    "in try_grab_folio() before the PTE recheck, without the RCU stabilisation", "v7 posting")
            .build();

    /** GUP-fast's separate secretmem check, right after the grab, until 6.10 folded it into {@link #FOLIO_CHECK}. */
    public static final Feature<GupFastFolioCheck> SECRETMEM_CHECK = Feature.builder("gup-fast-secretmem-check",
                    GupFastFolioCheck.class, "GUP-fast's separate secretmem check, before the recheck")
            .initially("folio-is-secretmem", KernelFolioChecks.FOLIO_IS_SECRETMEM,
                    "folio_is_secretmem() right after the grab, reading folio->mapping twice under IRQs off",
                    "before f002882ca369")
            .from("6.10", "none", KernelFolioChecks.NONE,
                    "none: gup_fast_folio_allowed() checks secretmem after the recheck", "f002882ca369")
            .build();

    /** How {@code check_vma_flags()} treats writes to file mappings ({@code writable_file_mapping_allowed()}). */
    public static final Feature<SlowFileCheck> SLOW_FILE_CHECK = Feature.builder("writable-file-mapping-allowed",
                    SlowFileCheck.class, "how the slow path's check_vma_flags() treats writes to file mappings")
            .initially("none", SlowFileCheck.NONE, "no check of file mappings", "before 8ac268436e6d")
            .from("6.5", "merged", SlowFileCheck.MERGED,
                    "writable_file_mapping_allowed(): FOLL_PIN|FOLL_LONGTERM writes need !vma_needs_dirty_tracking()",
                    "8ac268436e6d")
            .offMainline("v6-inverted", SlowFileCheck.V6_INVERTED,
                    "returns vma_needs_dirty_tracking() without the negation (review caught it)",
                    "v6 posting, 2 May 2023")
            .offMainline("v7-pin-or-longterm", SlowFileCheck.V7_PIN_OR_LONGTERM,
                    "negated, but applied when FOLL_PIN or FOLL_LONGTERM is set: private file mappings fail",
                    "v7 posting")
            .build();

    /**
     * Whether {@code vma_needs_dirty_tracking()} first requires a shared writable VMA (v8 of the
     * series added the test; MAP_PRIVATE writes make anonymous CoW pages, which may be pinned).
     */
    public static final Feature<Boolean> DIRTY_TRACKING_NEEDS_SHARED = Feature.builder(
                    "dirty-tracking-needs-shared", Boolean.class,
                    "whether vma_needs_dirty_tracking() is false unless the VMA is shared and writable")
            .initially("no", false, "vma_needs_dirty_tracking() looks at the file only (as the v6 and v7 postings)",
                    "v6/v7 postings")
            .from("6.5", "yes", true, "not a shared writable VMA: no dirty tracking needed",
                    "v8 of the series, merged for 6.5 (commit id UNCONFIRMED)")
            .build();

    /** Whether {@code folio_is_longterm_pinnable()} refuses fsdax folios. */
    public static final Feature<Boolean> FSDAX_NOT_LONGTERM_PINNABLE = Feature.builder(
                    "fsdax-not-longterm-pinnable", Boolean.class,
                    "whether folio_is_longterm_pinnable() refuses fsdax folios")
            .initially("no", false, "fsdax folios count as long-term pinnable (the VMA check refuses them)",
                    "before 6.15")
            .from("6.15", "yes", true, "fsdax folios are not long-term pinnable",
                    "6.15 (commit id UNCONFIRMED)")
            .build();

    /**
     * Whether the slow path follows PROT_NONE (NUMA-hinting) entries: 6.2 to 6.4 for FOLL_FORCE
     * only; from 6.5 unless the caller sets FOLL_HONOR_NUMA_FAULT in an accessible VMA.
     */
    public static final Feature<Boolean> HONOR_NUMA_FAULT = Feature.builder("foll-honor-numa-fault", Boolean.class,
                    "whether GUP follows PROT_NONE entries unless FOLL_HONOR_NUMA_FAULT asks it not to")
            .initially("force-only", false, "gup_can_follow_protnone(): FOLL_FORCE only", "6.2")
            .from("6.5", "yes", true, "follow unless FOLL_HONOR_NUMA_FAULT in an accessible VMA",
                    "\"mm/gup: reintroduce FOLL_NUMA as FOLL_HONOR_NUMA_FAULT\" (commit id UNCONFIRMED)")
            .build();

    /** Whether {@code gup_fast()} walks with IRQs off. */
    public static final Feature<Boolean> IRQ_DISABLE = Feature.builder("gup-fast-irq-disable", Boolean.class,
                    "whether gup_fast() brackets the walk with local_irq_save()/local_irq_restore()")
            .initially("yes", true, "the walk runs with IRQs off", "mm/gup.c gup_fast(), as GUP-fast always has")
            .offMainline("no", false, "GUP-fast walks with IRQs enabled", "no kernel: a what-if")
            .build();

    /** Whether GUP-fast rechecks the PTE after grabbing a folio. */
    public static final Feature<Boolean> PTE_RECHECK = Feature.builder("gup-fast-pte-recheck", Boolean.class,
                    "whether gup_fast_pte_range() rechecks the PTE after grabbing the folio")
            .initially("yes", true, "the PTE is read again after the grab; a change drops the reference",
                    "mm/gup.c gup_fast_pte_range()")
            .offMainline("no", false, "GUP-fast skips the PTE recheck after grabbing a folio", "no kernel: a what-if")
            .build();

    /** Whether GUP-fast rechecks the PMD after grabbing a folio. */
    public static final Feature<Boolean> PMD_RECHECK = Feature.builder("gup-fast-pmd-recheck", Boolean.class,
                    "whether gup_fast_pte_range() rechecks the PMD after grabbing the folio")
            .initially("yes", true, "the PMD is read again after the grab (the THP-collapse fix)",
                    "70cbc3cc78a9 (2022, stable back to 4.9)")
            .offMainline("no", false, "GUP-fast skips the PMD recheck (before 70cbc3cc78a9)", "before 70cbc3cc78a9")
            .build();

    /**
     * Whether GUP-fast offsets folded levels with {@code pXd_offset_lockless(pXdp, pXd, addr)}
     * (from the real pointer, d3f7b1bb2040, 5.10) or {@code pXd_offset(&copy, addr)}.
     */
    public static final Feature<Boolean> LOCKLESS_OFFSET = Feature.builder("gup-fast-lockless-offset",
                    Boolean.class, "whether GUP-fast offsets folded levels with pXd_offset_lockless()")
            .initially("yes", true, "pXd_offset_lockless(pXdp, pXd, addr): the architecture may use the real pointer",
                    "d3f7b1bb2040 (5.10)")
            .offMainline("on-copy", false, "pXd_offset(&copy, addr): folded levels offset from the stack copy",
                    "before d3f7b1bb2040")
            .build();
}
