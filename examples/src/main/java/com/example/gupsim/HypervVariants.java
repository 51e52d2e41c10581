package com.example.gupsim;

import java.util.List;
import org.gupsim.arch.VariantProvider;
import org.gupsim.arch.VariantRecipe;
import org.gupsim.tlb.RcuTableFree;

/**
 * x86_64:hyperv, a Linux guest of Hyper-V as the kernel runs it since the hypercall flush came
 * (2ffd9e33ce4a, 2017): a guest's x86 page tables (those of x86_64:paravirt), {@link HypervFlush},
 * and tables freed after an RCU grace period. Found through
 * META-INF/services/org.gupsim.arch.VariantProvider.
 */
public final class HypervVariants implements VariantProvider {
    @Override
    public List<VariantRecipe> variants() {
        return List.of(new VariantRecipe("x86_64", "hyperv", "Hyper-V guest: remote flush by hypercall, no IPI; RCU table freeing",
                "paravirt", HypervFlush::new, () -> new RcuTableFree(true), VariantRecipe.Availability.ALWAYS));
    }
}
