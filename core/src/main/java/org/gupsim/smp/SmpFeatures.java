package org.gupsim.smp;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of kernel/smp.c and kernel/rcu/ that the model lets differ between kernels. */
public final class SmpFeatures implements FeatureProvider {
    /**
     * Whether IRQ-off regions hold off every RCU grace period. Since the RCU flavours were
     * consolidated in 4.20 they do; before, {@code call_rcu()} in a preemptible kernel waited only
     * for explicit {@code rcu_read_lock()} sections ({@link Rcu}). The consolidation's commit ids
     * are UNCONFIRMED here (Paul McKenney's series for 4.20).
     */
    public static final Feature<Boolean> RCU_CONSOLIDATED = Feature.builder("rcu-consolidated", Boolean.class,
                    "whether IRQ-off regions hold off call_rcu() grace periods (one RCU flavour)")
            .initially("yes", true, "one RCU flavour: IRQ-off and preempt-off regions are read-side sections",
                    "RCU flavour consolidation, 4.20")
            .offMainline("split", false, "split flavours: call_rcu() waits only for rcu_read_lock() sections",
                    "kernels before 4.20")
            .build();
}
