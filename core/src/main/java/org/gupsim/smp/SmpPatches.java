package org.gupsim.smp;

import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to kernel/rcu/ behaviour. */
public final class SmpPatches implements PatchProvider {
    /** Pre-4.20 RCU: IRQ-off does not hold off {@code call_rcu()} grace periods. */
    public static final Patch SPLIT_RCU_FLAVORS = Patch.builder("split-rcu-flavors")
            .description("pre-4.20 RCU: IRQ-off does not hold off call_rcu()")
            .undoes("the RCU flavour consolidation of 4.20")
            .set(SmpFeatures.RCU_CONSOLIDATED, false)
            .build();
}
