package org.gupsim.arch.x86;

import java.util.List;
import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of arch/x86 that differ between kernels. */
public final class X86Features implements FeatureProvider {
    /**
     * Whether x86 frees page tables through RCU in every configuration: before 6.15 only with
     * PARAVIRT, and even then bare metal's {@code native_tlb_remove_table} freed at once unless a
     * PV flush installed the RCU one; a37259732a7d (6.15) selected MMU_GATHER_RCU_TABLE_FREE
     * unconditionally. It decides the default variant: {@code native} before, {@code native-rcu}
     * from then on.
     */
    public static final Feature<Boolean> RCU_TABLE_FREE = Feature.builder("x86-rcu-table-free", Boolean.class,
                    "whether x86 frees page tables through RCU whatever the configuration")
            .initially("paravirt-only", false,
                    "only a paravirt TLB flush frees through RCU; bare metal frees right after the IPI flush",
                    "before a37259732a7d")
            .from("6.15", "always", true, "MMU_GATHER_RCU_TABLE_FREE always selected", "a37259732a7d")
            .build();

    @Override
    public List<Feature<?>> features() {
        return List.of(RCU_TABLE_FREE);
    }
}
