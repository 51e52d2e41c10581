package org.gupsim.gup;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.FastSlowAgreementSuite;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Placements;

/**
 * GUP-fast alone never grants what the slow path refuses ({@link org.gupsim.testkit.FastSlowAgreement}),
 * on every powerpc variant. The giant PUD pages ({@link org.gupsim.testkit.Mapping#GIANT_PAGES}:
 * radix-4k's 1G, hash's 16G) are left out of the draw, each costing as much as a hundred other
 * setups; PpcHugeLeafTest runs both paths over them on every variant.
 */
@PropertyDefaults(tries = 300)
class PpcFastPathProperties extends FastSlowAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return GupArbitraries.setups("ppc64", GupArbitraries.kernels(), 8, List.of(Placements.KERNEL));
    }
}
