package org.gupsim.tlb;

import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to page-table freeing. */
public final class TlbPatches implements PatchProvider {
    /** Page tables are freed right after the TLB flush whatever the architecture's policy. */
    public static final Patch IMMEDIATE_TABLE_FREE = Patch.builder("immediate-table-free")
            .undoes("MMU_GATHER_RCU_TABLE_FREE (tlb_remove_table() freeing through RCU)")
            .set(TlbFeatures.TABLE_FREE_AS_CONFIGURED, false)
            .build();
}
