package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.KernelVersion;
import org.gupsim.scenario.Backing;

/**
 * The lockless walk and the locked walk agree about every mapping an architecture can have
 * ({@link WalkAgreement}), over the setups it generates ({@link #setups}): GUP-fast returns a page
 * exactly where the locked walk finds a present leaf a user read may use, and the same frame.
 * Secretmem is left out of the draw: GUP-fast refuses its folios whatever the walk found. A
 * written, readable mapping has pages to find. An architecture module's test subclasses this and
 * says how many tries with jqwik's {@code @PropertyDefaults}.
 */
public abstract class WalkAgreementSuite {

    /** The setups to draw, e.g. {@link #onTheCurrentKernel}. */
    protected abstract Arbitrary<GupSetup> setups();

    /**
     * Every variant of {@code arch} on the current kernel, mappings of up to 8 base pages where mmap
     * puts them and across the boundary between two entries of the top table, where a walk through
     * a stack copy of a folded level would go wrong.
     */
    protected static Arbitrary<GupSetup> onTheCurrentKernel(String arch) {
        return GupArbitraries.setups(arch, Arbitraries.just(KernelVersion.LATEST), 8,
                List.of(Placements.KERNEL, Placements.ACROSS_TOP));
    }

    @Provide
    Arbitrary<GupSetup> walkSetups() {
        return setups().filter(s -> s.mapping().backing() != Backing.SECRETMEM);
    }

    @Property
    void lockedAndLocklessWalksAgree(@ForAll("walkSetups") GupSetup s) {
        Mapped m = s.build();
        if (m == null) {
            return; // mmap refused it; the world is torn down
        }
        WalkAgreement.Found found = WalkAgreement.check(m, true);
        Statistics.label("levels").collect(m.task().mm().pageTables().geometry().levels());
        Statistics.label("leaf levels").collect(found.leafLevels().toString());
        Statistics.label("pages found").collect(found.pages() == 0 ? "none"
                : found.pages() == m.nrPages() ? "all" : "some");
        Touch t = s.mapping().touch();
        if ((t == Touch.WRITE || t == Touch.WRITE_FIRST_HALF) && s.mapping().prot() != Prot.NONE) {
            assertTrue(found.pages() > 0, s + ": a written readable mapping has pages");
        }
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
