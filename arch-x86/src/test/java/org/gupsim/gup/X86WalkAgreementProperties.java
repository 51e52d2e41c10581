package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.Worlds;

/**
 * On every x86-64 variant, 4-level (the P4D folded at run time) and 5-level, the lockless walk of
 * GUP-fast and the locked walk agree about a generated mapping ({@link WalkAgreement}): where
 * mmap puts it, and across the boundary between two entries of the top table, where GUP-fast's
 * {@code p4d_offset_lockless()} hands on its stack copy of the pgd entry (x86 has no lockless
 * offset of its own) and stays right because {@code PGDIR_SIZE} is the P4D's span at run time.
 */
class X86WalkAgreementProperties {

    record Setup(String variant, Mapping mapping, boolean acrossTop) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        KernelVersion k = KernelVersion.LATEST;
        return Arbitraries.of(GupArbitraries.variantSpecs("x86_64", k)).flatMap(v -> Combinators.combine(
                        GupArbitraries.mappings(Worlds.variant(v, k), 8, 2L << 20), Arbitraries.of(false, true))
                .as((m, across) -> new Setup(v, m, across)));
    }

    @Property(tries = 150)
    void lockedAndLocklessWalksAgree(@ForAll("setups") Setup s) {
        World w = Worlds.boot(s.variant(), KernelVersion.LATEST, 16L << 20);
        Mapping mapping = s.mapping();
        if (s.acrossTop()) {
            mapping = mapping.at(WalkAgreement.acrossTopEntry(w, mapping));
        }
        Mapped m = mapping.map(w);
        if (m == null) {
            return; // mmap refused it (private secretmem); the world is torn down
        }
        if (mapping.hint() != 0) {
            assertEquals(mapping.hint(), m.addr(), "mmap honours a free hint");
        }
        WalkAgreement.Found found = WalkAgreement.check(m, s.mapping().backing() != Backing.SECRETMEM);
        Statistics.label("levels").collect(m.task().mm().pageTables().geometry().levels());
        Statistics.label("pages found").collect(found.pages() == 0 ? "none" : "some");
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
