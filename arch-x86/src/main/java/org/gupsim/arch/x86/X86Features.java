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

    /**
     * Whether the kernel allocates global ASIDs and flushes busy mms with AMD INVLPGB broadcasts
     * (Rik van Riel's series, merged for 6.15; its commit ids are UNCONFIRMED here). Intel RAR,
     * a posted series, reuses those global ASIDs.
     */
    public static final Feature<Boolean> GLOBAL_ASIDS = Feature.builder("x86-global-asids", Boolean.class,
                    "whether x86 has global ASIDs and AMD INVLPGB broadcast invalidation")
            .initially("no", false, "every remote flush is an IPI (or a paravirt flush)", "before 6.15")
            .from("6.15", "yes", true, "global ASIDs; INVLPGB broadcasts for an mm busy on enough CPUs",
                    "INVLPGB series, 6.15 (commit ids UNCONFIRMED)")
            .build();

    /**
     * Whether the kernel flushes user TLBs with Intel RAR (remote action request): Rik van Riel's
     * series "x86/mm: Intel RAR", posted as an RFC in May 2025 and revised after. No release the
     * model labels is known to contain it (UNCONFIRMED up to 7.2), so only a patch
     * ({@link X86Patches#INTEL_RAR}) turns it on.
     */
    public static final Feature<Boolean> INTEL_RAR = Feature.builder("x86-intel-rar", Boolean.class,
                    "whether x86 flushes user TLBs with Intel RAR instead of IPIs")
            .initially("no", false, "no release has Intel RAR support", "not merged (UNCONFIRMED up to 7.2)")
            .offMainline("posted", true,
                    "smp_call_rar_many() to mm_cpumask: microcode flushes, even on CPUs with IRQs off; no IPI",
                    "\"x86/mm: Intel RAR\" series, Rik van Riel, RFC May 2025")
            .build();

    @Override
    public List<Feature<?>> features() {
        return List.of(RCU_TABLE_FREE, GLOBAL_ASIDS, INTEL_RAR);
    }
}
