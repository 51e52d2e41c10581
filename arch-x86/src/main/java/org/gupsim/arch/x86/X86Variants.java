package org.gupsim.arch.x86;

import java.util.List;
import java.util.Optional;
import org.gupsim.arch.VariantProvider;
import org.gupsim.arch.VariantRecipe;
import org.gupsim.tlb.RcuTableFree;

/**
 * x86 variants composed of parts, contributed the way a user's jar contributes its own
 * ({@code META-INF/services/org.gupsim.arch.VariantProvider}): Intel RAR, from a posted series.
 * The variant is the hardware (a CPU with RAR); the kernel's support is the patch
 * {@link X86Patches#INTEL_RAR}, and the variant exists only on a kernel that has it.
 */
public final class X86Variants implements VariantProvider {

    @Override
    public List<VariantRecipe> variants() {
        return List.of(new VariantRecipe(X86_64.NAME, "rar",
                "Intel RAR: targeted to mm_cpumask by microcode, no IPI (posted series, May 2025); RCU table freeing",
                "native-rcu", RarFlush::new, () -> new RcuTableFree(true),
                kernel -> kernel.get(X86Features.INTEL_RAR) ? Optional.empty()
                        : Optional.of("Intel RAR is a posted series no release has; add it with --patch "
                                + X86Patches.INTEL_RAR.name())));
    }
}
