package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.Arm64Mappings.Backing;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;

/**
 * On every arm64 variant, folded levels included, the lockless walk of GUP-fast and the locked
 * walk agree at every page of a generated mapping and at the pages around it: GUP-fast
 * ({@code get_user_pages_fast_only()}, one page at a time, read access) returns a page exactly
 * where the locked walk (under the mmap lock) finds a present, user-readable, non-special leaf,
 * and it returns the page that leaf maps at that address.
 */
class Arm64WalkAgreementProperties {

    record Setup(String variant, Backing backing, boolean shared, Touch touch, Prot prot) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                Arbitraries.of(Arm64Mappings.variants()),
                Arbitraries.of(Backing.ANON, Backing.THP, Backing.MEMFD, Backing.HUGETLB, Backing.HUGETLB_CONT_PTE,
                        Backing.HUGETLB_CONT_PMD, Backing.EXT4),
                Arbitraries.of(true, false), Arbitraries.of(Touch.class), Arbitraries.of(Prot.class))
                .as(Setup::new);
    }

    @Property(tries = 200)
    void lockedAndLocklessWalksAgree(@ForAll("setups") Setup s) {
        World w = Arm64Mappings.boot(s.variant(), KernelVersion.LATEST);
        if (!Arm64Mappings.fits(w, s.backing())) {
            w.teardown();
            return;
        }
        Mapped m = Arm64Mappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), 8);
        assertNotNull(m, s + ": mmap");
        PageTables pt = m.task().mm().pageTables();
        Geometry g = pt.geometry();
        EntryFormat f = pt.format();
        long page = m.pageSize();
        int agreedPresent = 0;
        Page[] one = new Page[1];
        // The mapping and one page either side of it.
        for (long a = m.addr() - page; a < m.addr() + m.len() + page; a += page) {
            Walk walk;
            var cpu = w.vm().cpu();
            m.task().mm().mmapLock().downRead(cpu);
            try {
                walk = pt.walk(a, new Walk(), "test");
            } finally {
                m.task().mm().mmapLock().upRead(cpu);
            }
            boolean usable = walk.leafPresent && f.accessPermitted(walk.level, walk.entry, false)
                    && !f.leafSpecial(walk.level, walk.entry);
            one[0] = null;
            GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
            assertEquals(usable ? 1 : 0, r.pages(), s + " at 0x" + Long.toHexString(a) + ": locked walk "
                    + walk + " " + f.describe(walk.level == null ? org.gupsim.pgtable.Level.PTE : walk.level,
                    walk.entry) + ", GUP-fast " + r);
            if (usable) {
                long size = g.size(walk.level);
                long expected = f.leafPfn(walk.level, walk.entry) + ((a & (size - 1)) >>> g.pageShift());
                assertEquals(expected, one[0].pfn(), s + " at 0x" + Long.toHexString(a));
                w.gup().putPages(one, 1);
                agreedPresent++;
            }
        }
        Statistics.label("levels").collect(g.levels());
        Statistics.label("pages found").collect(agreedPresent == 0 ? "none" : agreedPresent == m.nrPages() ? "all" : "some");
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    /** Huge mappings: GUP-fast reaches every subpage of a block leaf, whichever level holds it. */
    @Property(tries = 11)
    void blockLeavesAreFoundOnEveryVariant(@ForAll("hugeVariants") String variant) {
        World w = Arm64Mappings.boot(variant, KernelVersion.LATEST);
        Mapped m = Arm64Mappings.map(w, Backing.HUGETLB, true, Touch.WRITE, Prot.RW, 0);
        assertNotNull(m);
        Walk walk = m.task().mm().pageTables().peekWalk(m.addr(), new Walk());
        assertTrue(walk.leafPresent, walk.toString());
        assertEquals(org.gupsim.pgtable.Level.PMD, walk.level, "a PMD block");
        int n = m.nrPages();
        Page[] pages = new Page[n];
        GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), m.addr(), n, EnumSet.of(Foll.WRITE), pages);
        assertEquals(n, r.pages(), r.toString());
        for (int i = 1; i < n; i++) {
            assertEquals(pages[0].pfn() + i, pages[i].pfn(), "subpage " + i);
        }
        w.gup().putPages(pages, n);
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    @Provide
    Arbitrary<String> hugeVariants() {
        return Arbitraries.of(Arm64Mappings.variants());
    }
}
