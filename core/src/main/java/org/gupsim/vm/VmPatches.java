package org.gupsim.vm;

import java.util.Optional;
import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to khugepaged's page-table handling: the history of the races GUP-fast had with it. */
public final class VmPatches implements PatchProvider {
    /**
     * khugepaged's collapse goes on right after {@code pmdp_collapse_flush()}, without
     * {@code tlb_remove_table_sync_one()}, and so does the pre-6.6 retraction
     * ({@code collapse_and_free_pmd()}), which frees the table at once: a GUP-fast walker the
     * flush did not wait for may still be on the old PTE table.
     */
    public static final Patch NO_COLLAPSE_TABLE_SYNC = Patch.builder("no-collapse-table-sync")
            .description("khugepaged's collapse and pre-6.6 retraction skip tlb_remove_table_sync_one() (before 2ba99c5e0881)")
            .undoes("2ba99c5e0881 \"mm/khugepaged: fix GUP-fast interaction by sending IPI\"")
            .set(VmFeatures.COLLAPSE_TABLE_SYNC, false)
            .build();

    /**
     * 6.6's retraction without the mmap lock, freeing the table with {@code pte_free()} at once
     * instead of {@code pte_free_defer()}: what 1d65b771bc08 would be without its RCU half.
     */
    public static final Patch RETRACT_FREE_NOW = Patch.builder("retract-free-now")
            .description("retract_page_tables() frees the retracted table at once, not after RCU (6.6+ locking)")
            .undoes("pte_free_defer() in retract_page_tables() (1d65b771bc08's series)")
            .set(VmFeatures.RETRACT_PAGE_TABLES, VmFeatures.RetractRule.FREE_NOW)
            .appliesOnlyIf(k -> k.get(VmFeatures.RETRACT_PAGE_TABLES) == VmFeatures.RetractRule.RCU_DEFERRED
                    ? Optional.empty()
                    : Optional.of("before 6.6 retract_page_tables() holds the mmap lock for write and syncs with "
                            + "tlb_remove_table_sync_one(); there is no RCU to skip"))
            .build();
}
