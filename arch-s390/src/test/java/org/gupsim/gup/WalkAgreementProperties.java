package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
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
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * For generated mappings, at every address of the range (and the pages around it), the lockless
 * walk of GUP-fast ({@code get_user_pages_fast_only()}, which returns the page it found) and the
 * locked walk ({@link PageTables#walk}) agree: where the locked walk finds a present, readable
 * leaf, GUP-fast returns exactly the page it maps; where it does not, GUP-fast returns nothing.
 * On both variants, with 3, 4 and 5 levels (mappings at 4 TB and 8 PB upgrade the tables).
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
