package org.gupsim.gup;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.FastSlowAgreementSuite;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Placements;

/**
 * On every arm64 variant (each with a kernel that has it), GUP-fast alone never grants what the
 * slow path refuses ({@link org.gupsim.testkit.FastSlowAgreement}), the contiguous-PTE and
 * contiguous-PMD hugetlb sizes among the mappings. Where GUP-fast reads the stack instead
 * ({@link Arm64Mappings#strayStackRead}) there is nothing to compare. The giant hugetlb pages are
 * left out of the draw: Arm64WalkAgreementProperties compares both paths over them on every
 * variant, and Arm64LongtermRuleTableTest pins them long-term on one variant per granule.
 */
@PropertyDefaults(tries = 300)
class Arm64FastPathProperties extends FastSlowAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return GupArbitraries.setups("arm64", GupArbitraries.kernels(), 8, List.of(Placements.KERNEL))
                .filter(s -> !Arm64Mappings.strayStackRead(s.variant(), s.kernel()));
    }
}
