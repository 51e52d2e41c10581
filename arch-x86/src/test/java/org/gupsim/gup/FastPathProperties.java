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
 * on every x86-64 variant for every kernel, backing, touch, protection and call. The posted v6 and
 * v7 patches violated this; see {@link org.gupsim.testkit.FastSlowAgreement#knownPostingDivergence}.
 */
@PropertyDefaults(tries = 500)
class FastPathProperties extends FastSlowAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return GupArbitraries.setups("x86_64", GupArbitraries.kernels(), 8, List.of(Placements.KERNEL));
    }
}
