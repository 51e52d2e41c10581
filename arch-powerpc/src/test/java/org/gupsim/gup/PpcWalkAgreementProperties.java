package org.gupsim.gup;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.WalkAgreementSuite;

/**
 * The lockless walk and the locked walk agree about a generated mapping on every powerpc variant
 * ({@link org.gupsim.testkit.WalkAgreement}), radix and hash, where mmap puts it and across two
 * entries of the top table. The backings include the PUD leaf (1G on radix) except where it is
 * giant (radix-4k's 1G, hash's 16G), which PpcHugeLeafTest walks on every variant instead.
 */
@PropertyDefaults(tries = 250)
class PpcWalkAgreementProperties extends WalkAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return onTheCurrentKernel("ppc64");
    }
}
