package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.S390Mappings.Backing;
import org.gupsim.gup.S390Mappings.Where;
import org.gupsim.mm.MemConfig;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Mutant;
import org.gupsim.sched.Sched;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.Worlds;

/**
 * For generated mappings the lockless walk of GUP-fast and the locked walk agree
 * ({@link WalkAgreement}): page by page and the range and the pages around it, and in one call
 * over the range. On both variants, with 3, 4 and 5 levels (mappings at 4 TB and 8 PB upgrade
 * the tables), and across the boundary between two top-level entries, 3-level and upgraded, where
 * the walk of folded levels through a stack copy went wrong before d3f7b1bb2040.
 */
class WalkAgreementProperties {

    @Property(tries = 150)
    void locklessAndLockedWalksAgree(@ForAll("variants") String variant, @ForAll("backings") Backing backing,
                                     @ForAll boolean shared, @ForAll Where where, @ForAll Touch touch,
                                     @ForAll Prot prot, @ForAll @IntRange(min = 1, max = 6) int pages) {
        KernelVersion k = KernelVersion.LATEST;
        Mapped m = S390Mappings.map(S390Mappings.boot(variant, k, 32), backing, shared, where, touch, prot, pages);
        if (m == null) {
            return;
        }
        WalkAgreement.Found found = WalkAgreement.check(m, true);
        Statistics.label("levels").collect(m.task().mm().pageTables().geometry().levels());
        boolean hugeSeen = found.leafLevels().stream().anyMatch(l -> l != Level.PTE);
        Statistics.label("huge leaf found").collect(hugeSeen);
        if (backing == Backing.HUGETLB_1M && touch != Touch.NONE && prot != Prot.NONE) {
            assertTrue(hugeSeen, "a touched 1M hugetlb mapping is a segment leaf");
        }
        Statistics.label("pages found").collect(found.pages() == 0 ? "none" : "some");
        if ((touch == Touch.WRITE || touch == Touch.WRITE_FIRST_HALF) && prot != Prot.NONE) {
            assertTrue(found.pages() > 0, "a written readable mapping has pages (a read may map the zero page)");
        }
        assertEquals(List.of(), m.teardown());
    }

    /**
     * The oracle catches the walk before d3f7b1bb2040 (mutant folded-offset-on-copy): over a range
     * across two region-third entries the folded PUD loop steps past the stack copy.
     */
    @Example
    void theWalkBeforeD3f7b1bb2040FailsTheAgreementAcrossATopEntry() {
        KernelVersion k = KernelVersion.LATEST;
        World w = World.boot(Worlds.variant("s390", k), k, MemConfig.ofBytes(12, 32L << 20), Worlds.CPUS,
                EnumSet.of(Mutant.FOLDED_OFFSET_ON_COPY), new Sched());
        Mapped m = S390Mappings.map(w, Backing.ANON, false, Where.ACROSS_TOP, Touch.WRITE, Prot.RW, 4);
        KernelBugException e = assertThrows(KernelBugException.class, () -> WalkAgreement.check(m, true));
        assertTrue(e.violation().message().contains("stepped past its stack copy of the pud entry"),
                e.violation().toString());
    }

    /** Secretmem is left out: GUP-fast refuses its folios whatever the walk found. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Backing> backings() {
        return net.jqwik.api.Arbitraries.of(Backing.class).filter(b -> b != Backing.SECRETMEM);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> variants() {
        return net.jqwik.api.Arbitraries.of("default", "fragments");
    }
}
