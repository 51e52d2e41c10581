package org.gupsim.arch.x86;

import java.util.List;
import java.util.Optional;
import org.gupsim.arch.VariantProvider;
import org.gupsim.arch.VariantRecipe;
import org.gupsim.tlb.RcuTableFree;

/**
 * x86 variants composed of parts, contributed the way a user's jar contributes its own
 * ({@code META-INF/services/org.gupsim.arch.VariantProvider}): Intel RAR, from a posted series.
 */
public final class X86Variants implements VariantProvider {

    @Override
    public List<VariantRecipe> variants() {
        return List.of(new VariantRecipe(X86_64.NAME, "rar",
                "Intel RAR: targeted to mm_cpumask by microcode, no IPI (posted series, May 2025); RCU table freeing",
                "native-rcu", RarFlush::new, () -> new RcuTableFree(true),
                kernel -> kernel.get(X86Features.GLOBAL_ASIDS) ? Optional.empty()
                        : Optional.of("RAR reuses the global ASIDs of INVLPGB support, merged for 6.15")));
    }
}
