package org.gupsim.gup;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.WalkAgreementSuite;

/**
 * On every x86-64 variant, 4-level (the P4D folded at run time) and 5-level, the lockless walk of
 * GUP-fast and the locked walk agree about a generated mapping ({@link org.gupsim.testkit.WalkAgreement}):
 * where mmap puts it, and across the boundary between two entries of the top table, where
 * GUP-fast's {@code p4d_offset_lockless()} hands on its stack copy of the pgd entry (x86 has no
 * lockless offset of its own) and stays right because {@code PGDIR_SIZE} is the P4D's span at run
 * time.
 */
@PropertyDefaults(tries = 150)
class X86WalkAgreementProperties extends WalkAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return onTheCurrentKernel("x86_64");
    }
}
