package org.gupsim.vm;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/**
 * The features of mm/ outside mm/gup.c that the model lets differ between kernels: who frees
 * page tables under whom (khugepaged's collapse and retraction, {@code madvise(MADV_DONTNEED)}
 * with PT_RECLAIM) and what the walkers that may meet such a table do about it. The facts and
 * their sources are in docs/kernel/khugepaged.md and docs/kernel/madvise.md.
 */
public final class VmFeatures implements FeatureProvider {

    /** How {@code retract_page_tables()} takes a file THP's PTE tables out of the mms mapping it. */
    public enum RetractRule {
        /**
         * Before 6.6: under {@code mmap_write_trylock()} of each mm (skipped if it cannot have it),
         * {@code pmdp_collapse_flush()}, {@code tlb_remove_table_sync_one()} and {@code pte_free()}
         * ({@code collapse_and_free_pmd()}).
         */
        MMAP_WRITE_TRYLOCK,
        /**
         * From 6.6 (1d65b771bc08): without the mmap or VMA lock, under the PMD and PTE locks, then
         * {@code pte_free_defer()}: freed after an RCU grace period.
         */
        RCU_DEFERRED,
        /** The 6.6 locking, but the table freed with {@code pte_free()} at once: no kernel, a what-if. */
        FREE_NOW
    }

    /** Which PT_RECLAIM the kernel builds: which architectures free the PTE tables MADV_DONTNEED empties. */
    public enum PtReclaim {
        /** Not at all. */
        NONE,
        /** Only architectures that select {@code ARCH_SUPPORTS_PT_RECLAIM} (x86-64). */
        OPT_IN,
        /** Every architecture with MMU_GATHER_RCU_TABLE_FREE and the generic {@code __tlb_remove_table()}. */
        RCU_TABLE_FREE
    }

    /** How {@code madvise(MADV_DONTNEED)} holds the mm while it zaps. */
    public enum DontneedLock {
        /** {@code mmap_read_lock()}. */
        MMAP_READ,
        /** The VMA's own lock when the range lies in one VMA ({@code lock_vma_under_rcu()}), else the mmap lock for read. */
        VMA_READ
    }

    /**
     * Whether {@code pte_offset_map()} takes {@code rcu_read_lock()}: 6.5 made it able to fail
     * (0d940a9b270b) and left the lock "to be added later"; 6.6 added it (a349d72fd9ef) because
     * retracted PTE tables are now freed by RCU ({@code pte_free_defer()}). GUP-fast's per-PTE
     * checks run inside it, and locked walkers ({@link PteOffsetMap}) hold it and recheck the PMD.
     */
    public static final Feature<Boolean> PTE_OFFSET_MAP_RCU = Feature.builder("pte-offset-map-rcu", Boolean.class,
                    "whether pte_offset_map() holds rcu_read_lock() over GUP-fast's per-PTE checks and locked walkers")
            .initially("no", false, "pte_offset_map() takes no lock", "before a349d72fd9ef")
            .from("6.6", "yes", true, "pte_offset_map() takes rcu_read_lock() (retracted tables are RCU-freed)",
                    "a349d72fd9ef")
            .build();

    /** Whether khugepaged's collapse waits for IRQ-off walkers after unhooking the PTE table. */
    public static final Feature<Boolean> COLLAPSE_TABLE_SYNC = Feature.builder("collapse-table-sync", Boolean.class,
                    "whether collapse_huge_page() (and the pre-6.6 retraction) calls tlb_remove_table_sync_one() after pmdp_collapse_flush()")
            .initially("yes", true, "an IPI round after pmdp_collapse_flush(): no GUP-fast walker is left on the old table",
                    "2ba99c5e0881 \"mm/khugepaged: fix GUP-fast interaction by sending IPI\" (2022, stable)")
            .offMainline("no", false, "the collapse goes on after pmdp_collapse_flush() alone", "before 2ba99c5e0881")
            .build();

    /** How {@code retract_page_tables()} removes and frees the PTE tables of a collapsed file range. */
    public static final Feature<RetractRule> RETRACT_PAGE_TABLES = Feature.builder("retract-page-tables",
                    RetractRule.class, "how khugepaged's retract_page_tables() removes and frees other mms' PTE tables")
            .initially("mmap-write-trylock", RetractRule.MMAP_WRITE_TRYLOCK,
                    "mmap_write_trylock(), pmdp_collapse_flush(), tlb_remove_table_sync_one(), pte_free()",
                    "collapse_and_free_pmd() (6.1-6.5)")
            .from("6.6", "rcu-deferred", RetractRule.RCU_DEFERRED,
                    "no mmap or VMA lock; pmd and pte locks, pmdp_collapse_flush(), pte_free_defer()",
                    "1d65b771bc08 \"mm/khugepaged: retract_page_tables() without mmap or vma lock\"")
            .offMainline("free-now", RetractRule.FREE_NOW,
                    "the 6.6 locking, but pte_free() at once instead of pte_free_defer()", "no kernel: a what-if")
            .build();

    /** Which architectures build CONFIG_PT_RECLAIM. */
    public static final Feature<PtReclaim> PT_RECLAIM = Feature.builder("pt-reclaim", PtReclaim.class,
                    "where madvise(MADV_DONTNEED) frees the PTE tables it empties (CONFIG_PT_RECLAIM)")
            .initially("no", PtReclaim.NONE, "empty PTE tables stay until munmap or exit", "before 6.14")
            .from("6.14", "x86-64", PtReclaim.OPT_IN, "architectures selecting ARCH_SUPPORTS_PT_RECLAIM: x86-64",
                    "\"mm: pgtable: reclaim empty PTE page in madvise(MADV_DONTNEED)\" (Qi Zheng; commit id UNCONFIRMED)")
            .from("7.0", "rcu-table-free", PtReclaim.RCU_TABLE_FREE,
                    "every architecture with MMU_GATHER_RCU_TABLE_FREE and the generic __tlb_remove_table()",
                    "9c8c02df3f87 \"mm: make PT_RECLAIM depends on MMU_GATHER_RCU_TABLE_FREE\" (release UNCONFIRMED)")
            .build();

    /** The lock {@code madvise(MADV_DONTNEED)} zaps under. */
    public static final Feature<DontneedLock> DONTNEED_LOCK = Feature.builder("madvise-dontneed-lock",
                    DontneedLock.class, "the lock madvise(MADV_DONTNEED) zaps under")
            .initially("mmap-read", DontneedLock.MMAP_READ, "mmap_read_lock()",
                    "mm/madvise.c madvise_need_mmap_write()")
            .from("6.17", "vma-read", DontneedLock.VMA_READ,
                    "the VMA's own lock if the range lies in one VMA, else mmap_read_lock()",
                    "\"mm: use per_vma lock for MADV_DONTNEED\" (Barry Song; release UNCONFIRMED, after 6.15)")
            .build();
}
