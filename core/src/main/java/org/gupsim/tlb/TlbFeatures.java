package org.gupsim.tlb;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of mm/mmu_gather.c that the model lets differ between kernels. */
public final class TlbFeatures implements FeatureProvider {
    /**
     * Whether page tables are freed as the architecture configures its mmu_gather (through RCU
     * with MMU_GATHER_RCU_TABLE_FREE, else right after the flush), or right after the flush
     * whatever the configuration.
     */
    public static final Feature<Boolean> TABLE_FREE_AS_CONFIGURED = Feature.builder("table-free-as-configured",
                    Boolean.class, "whether page tables are freed as the architecture's mmu_gather is configured")
            .initially("yes", true, "tlb_remove_table() as configured: RCU where MMU_GATHER_RCU_TABLE_FREE is set",
                    "mm/mmu_gather.c")
            .offMainline("immediate", false, "page tables freed right after the TLB flush, not via RCU",
                    "no kernel: a what-if")
            .build();
}
