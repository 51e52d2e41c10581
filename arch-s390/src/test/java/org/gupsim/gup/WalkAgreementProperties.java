package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.S390Mappings.Backing;
import org.gupsim.gup.S390Mappings.Where;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For generated mappings, at every address of the range (and the pages around it), the lockless
 * walk of GUP-fast ({@code get_user_pages_fast_only()}, which returns the page it found) and the
 * locked walk ({@link PageTables#walk}) agree: where the locked walk finds a present, readable
 * leaf, GUP-fast returns exactly the page it maps; where it does not, GUP-fast returns nothing.
 * On every variant, with 3, 4 and 5 levels (mappings at 4 TB and 8 PB upgrade the tables). The
 * generated backings leave out the giant 2G page (a walk at each of its 524,288 pages would cost
 * as much as the rest of the property); {@link #aRegionThirdPageIsOneLeafOnEveryVariant} covers
 * it on every variant at every level count.
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
        PageTables pt = m.task().mm().pageTables();
        Geometry g = pt.geometry();
        EntryFormat f = pt.format();
        Statistics.label("levels").collect(g.levels());
        int agreedPresent = 0;
        boolean hugeSeen = false;
        Page[] one = new Page[1];
        for (long a = m.addr() - S390Mappings.PAGE; a < m.addr() + m.len() + S390Mappings.PAGE;
                a += S390Mappings.PAGE) {
            Walk w = pt.walk(a, new Walk(), "test");
            long expectedPfn = -1;
            if (w.leafPresent && f.accessPermitted(w.level, w.entry, false) && !f.leafProtnone(w.level, w.entry)
                    && !(w.level == Level.PTE && f.leafSpecial(w.level, w.entry))) {
                long offset = (a & (g.size(w.level) - 1)) >>> g.pageShift();
                expectedPfn = f.leafPfn(w.level, w.entry) + offset;
            }
            one[0] = null;
            GupResult r = m.world().gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
            if (expectedPfn < 0) {
                assertEquals(0, r.pages(), "at 0x" + Long.toHexString(a) + " the locked walk finds "
                        + (w.level == null ? "nothing" : f.describe(w.level, w.entry)) + ", GUP-fast " + r);
            } else {
                assertEquals(1, r.pages(), "at 0x" + Long.toHexString(a) + ": " + f.describe(w.level, w.entry)
                        + ", GUP-fast " + r);
                assertEquals(expectedPfn, one[0].pfn(), "at 0x" + Long.toHexString(a));
                m.world().gup().putPages(one, 1);
                agreedPresent++;
                hugeSeen |= w.level != Level.PTE;
            }
        }
        Statistics.label("huge leaf found").collect(hugeSeen);
        if (backing == Backing.HUGETLB_1M && touch != Touch.NONE && prot != Prot.NONE) {
            assertTrue(hugeSeen, "a touched 1M hugetlb mapping is a segment leaf");
        }
        Statistics.label("pages found").collect(agreedPresent == 0 ? "none" : "some");
        if ((touch == Touch.WRITE || touch == Touch.WRITE_FIRST_HALF) && prot != Prot.NONE) {
            assertTrue(agreedPresent > 0, "a written readable mapping has pages (a read may map the zero page)");
        }
        assertEquals(List.of(), m.teardown());
    }

    /** Secretmem is left out: GUP-fast refuses its folios whatever the walk found. So is the giant 2G page. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Backing> backings() {
        return net.jqwik.api.Arbitraries.of(Backing.class).filter(b -> b != Backing.SECRETMEM && !b.giant());
    }

    /** Every s390 variant, from the registry. */
    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> variants() {
        return GupArbitraries.variants("s390").map(s -> s.substring("s390:".length()));
    }

    static Stream<Arguments> variantsAndPlaces() {
        return GupArbitraries.variantSpecs("s390").stream().map(s -> s.substring("s390:".length()))
                .flatMap(v -> Arrays.stream(Where.values()).map(where -> Arguments.of(v, where)));
    }

    /**
     * A 2G hugetlb page on every variant, in a new mm (3 levels) and above 4 TB and 8 PB (4 and 5
     * levels after the upgrade): at both ends the locked walk finds one region-third (PUD) leaf
     * and GUP-fast returns the page it maps there; over the whole page GUP-fast and the slow path
     * return every subpage, in order.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsAndPlaces")
    void aRegionThirdPageIsOneLeafOnEveryVariant(String variant, Where where) {
        Mapped m = S390Mappings.map(S390Mappings.boot(variant, KernelVersion.LATEST, Backing.HUGETLB_2G, 16),
                Backing.HUGETLB_2G, true, where, Touch.WRITE, Prot.RW, 0);
        PageTables pt = m.task().mm().pageTables();
        assertEquals(where == Where.LOW ? 3 : where == Where.REGION2 ? 4 : 5, pt.geometry().levels());
        Walk first = pt.walk(m.addr(), new Walk(), "test");
        assertTrue(first.leafPresent, first.toString());
        assertEquals(Level.PUD, first.level, "a region-third leaf");
        long pfn = pt.format().leafPfn(Level.PUD, first.entry);
        Page[] one = new Page[1];
        for (long a : new long[] {m.addr(), m.addr() + m.len() - S390Mappings.PAGE}) {
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
