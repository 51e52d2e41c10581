package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Placement;
import org.gupsim.testkit.Placements;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;
import org.gupsim.testkit.WalkAgreementSuite;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For generated mappings the lockless walk of GUP-fast and the locked walk agree
 * ({@link WalkAgreement}): page by page and the range and the pages around it, and in one call
 * over the range. On every variant, with 3, 4 and 5 levels (mappings at 4 TB and 8 PB upgrade
 * the tables), and across the boundary between two top-level entries, 3-level and upgraded, where
 * the walk of folded levels through a stack copy went wrong before d3f7b1bb2040. The generated
 * backings leave out the giant 2G page (a walk at each of its 524,288 pages would cost as much as
 * the rest of the property); {@link #aRegionThirdPageIsOneLeafOnEveryVariant} covers it on every
 * variant at every placement.
 */
@PropertyDefaults(tries = 150)
class WalkAgreementProperties extends WalkAgreementSuite {
    @Override
    protected Arbitrary<GupSetup> setups() {
        return GupArbitraries.setupsOnTheirLatestKernels("s390", 6, S390Placements.ALL);
    }

    /**
     * The oracle catches the walk before d3f7b1bb2040 (patch folded-offset-on-copy): over a range
     * across two region-third entries the folded PUD loop steps past the stack copy.
     */
    @Example
    void theWalkBeforeD3f7b1bb2040FailsTheAgreementAcrossATopEntry() {
        KernelVersion k = KernelVersion.LATEST;
        World w = World.boot(Worlds.variant("s390", k), k.with(GupPatches.FOLDED_OFFSET_ON_COPY),
                MemConfig.ofBytes(12, 32L << 20), Worlds.CPUS);
        Mapping mapping = Mapping.small(Backing.ANON, false, 4, Touch.WRITE, Prot.RW);
        Mapped m = mapping.at(Placements.ACROSS_TOP.hint(w, mapping)).map(w);
        KernelBugException e = assertThrows(KernelBugException.class, () -> WalkAgreement.check(m, true));
        assertTrue(e.violation().message().contains("stepped past its stack copy of the pud entry"),
                e.violation().toString());
    }

    /**
     * A written 1M hugetlb page (memfd, MFD_HUGETLB) is one segment leaf, on every variant at
     * every placement, and both walks agree about it: what the generated property checked of the
     * 1M size before it drew setups from the testkit.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsAndPlaces")
    void aWritten1MHugetlbPageIsOneSegmentLeaf(String variant, Placement where) {
        Mapped m = new GupSetup(variant, (KernelVersion) Worlds.latestKernelOf(variant),
                Mapping.huge(Backing.MEMFD_HUGETLB, true, 1L << 20, Touch.WRITE, Prot.RW), where).build();
        WalkAgreement.Found found = WalkAgreement.check(m, true);
        assertEquals(Set.of(Level.PMD), found.leafLevels(), "a segment leaf");
        assertEquals(List.of(), m.teardown());
    }

    static Stream<Arguments> variantsAndPlaces() {
        return GupArbitraries.everyVariantSpec("s390").stream()
                .flatMap(v -> S390Placements.ALL.stream().map(where -> Arguments.of(v, where)));
    }

    /**
     * A 2G hugetlb page on every variant at every placement: in a new mm (3 levels; across a
     * region-third boundary a single huge page ends at it) and from 4 TB and 8 PB (4 and 5 levels
     * after the upgrade): at both ends the locked walk finds one region-third (PUD) leaf
     * and GUP-fast returns the page it maps there; over the whole page GUP-fast and the slow path
     * return every subpage, in order.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsAndPlaces")
    void aRegionThirdPageIsOneLeafOnEveryVariant(String variant, Placement where) {
        // each variant on the latest kernel that has it (fragments before 6.7)
        Mapped m = new GupSetup(variant, (KernelVersion) Worlds.latestKernelOf(variant),
                Mapping.huge(Backing.HUGETLB, true, 1L << 31, Touch.WRITE, Prot.RW), where).build();
        PageTables pt = m.task().mm().pageTables();
        // a single huge page across 4 TB starts there
        int levels = where instanceof S390Placements p ? p.levels() : 3;
        assertEquals(levels, pt.geometry().levels());
        Walk first = pt.walk(m.addr(), new Walk(), "test");
        assertTrue(first.leafPresent, first.toString());
        assertEquals(Level.PUD, first.level, "a region-third leaf");
        long pfn = pt.format().leafPfn(Level.PUD, first.entry);
        Page[] one = new Page[1];
        for (long a : new long[] {m.addr(), m.addr() + m.len() - m.pageSize()}) {
            assertEquals(first.entry, pt.walk(a, new Walk(), "test").entry, "one entry maps both ends");
            GupResult r = m.world().gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
            assertEquals(1, r.pages(), r.toString());
            assertEquals(pfn + ((a - m.addr()) >>> 12), one[0].pfn());
            m.world().gup().putPages(one, 1);
        }
        int n = m.nrPages();
        GupCall get = new GupCall(GupCall.Kind.GET, EnumSet.of(Foll.WRITE));
        Page[] fast = new Page[n];
        assertEquals(n, get.runFast(m, fast).pages());
        Page[] slow = new Page[n];
        assertEquals(n, get.runSlow(m, slow).pages());
        for (int i = 0; i < n; i++) {
            // No message string per page of a 2G page unless one is wrong.
            if (fast[i].pfn() != pfn + i || slow[i] != fast[i]) {
                assertEquals(pfn + i, fast[i].pfn(), "GUP-fast subpage " + i);
                assertEquals(fast[i], slow[i], "the slow path's subpage " + i);
            }
        }
        m.world().gup().putPages(fast, n);
        m.world().gup().putPages(slow, n);
        assertEquals(List.of(), m.teardown());
    }
}
