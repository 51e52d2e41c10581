package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.Backing;
import org.gupsim.scenario.World;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.GupCall;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
import org.gupsim.testkit.Placements;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Huge leaves where the issue puts them, on every variant: a hugetlb page of the PUD size (1G on
 * radix, 16G on hash) is one PUD leaf, and a PMD-sized THP or hugetlb page (2M radix, 16M hash)
 * one PMD leaf; GUP-fast reaches every subpage of them through the leaf, as the locked walk sees
 * it, and the slow path the same pages.
 */
class PpcHugeLeafTest {

    static List<String> variants() {
        return GupArbitraries.variantSpecs("ppc64");
    }

    /** One huge page of {@code size} on {@code variant}, written, on a machine of three. */
    private static Mapped map(String variant, Backing b, boolean shared, long size) {
        return new GupSetup(variant, KernelVersion.LATEST, Mapping.huge(b, shared, size, Touch.WRITE, Prot.RW),
                Placements.KERNEL).build();
    }

    /**
     * The PUD page, giant on radix-4k and hash (262,144 pages): at both ends of the leaf the locked
     * walk finds a PUD leaf and GUP-fast the page it maps there; over the whole page GUP-fast pins
     * every subpage, in order, and the slow path gets the same ones.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void aPudSizedHugetlbPageIsOnePudLeaf(String variant) {
        long pud = Worlds.variant(variant, KernelVersion.LATEST).newMmGeometry().size(Level.PUD);
        Mapped m = map(variant, Backing.HUGETLB, true, pud);
        World w = m.world();
        long len = m.len();
        assertEquals(w.arch().hugePageSizes()[1], len, "the second hugetlb size is the PUD leaf's");
        assertTrue((m.addr() & (len - 1)) == 0, "aligned to the leaf: 0x" + Long.toHexString(m.addr()));
        PageTables pt = m.task().mm().pageTables();
        Walk walk = pt.walk(m.addr(), new Walk(), "test");
        assertTrue(walk.leafPresent);
        assertEquals(Level.PUD, walk.level, "a PUD leaf maps the whole page");
        long first = pt.format().leafPfn(Level.PUD, walk.entry);
        Page[] one = new Page[1];
        for (long a : new long[] {m.addr(), m.addr() + len - m.pageSize()}) {
            assertEquals(walk.entry, pt.walk(a, new Walk(), "test").entry, "one entry maps both ends");
            GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
            assertEquals(1, r.pages(), r.toString());
            assertEquals(first + ((a - m.addr()) >>> w.mem().pageShift()), one[0].pfn());
            w.gup().putPages(one, 1);
        }
        int n = m.nrPages();
        Page[] pages = new Page[n];
        GupResult r = w.gup().pinUserPagesFast(m.task().mm(), m.addr(), n, EnumSet.of(Foll.WRITE, Foll.LONGTERM),
                pages);
        assertEquals(n, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path());
        Page[] slow = new Page[n];
        assertEquals(n, new GupCall(GupCall.Kind.GET, EnumSet.of(Foll.WRITE)).runSlow(m, slow).pages());
        for (int i = 0; i < n; i++) {
            // No message string per page of a 16G page unless one is wrong.
            if (pages[i].pfn() != first + i || slow[i] != pages[i]) {
                assertEquals(first + i, pages[i].pfn(), "subpage " + i);
                assertEquals(pages[i], slow[i], "the slow path's subpage " + i);
            }
        }
        w.gup().unpinUserPages(pages, n);
        w.gup().putPages(slow, n);
        assertEquals(List.of(), m.teardown());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void pmdSizedThpAndHugetlbArePmdLeaves(String variant) {
        long pmd = Worlds.variant(variant, KernelVersion.LATEST).newMmGeometry().size(Level.PMD);
        for (Backing b : List.of(Backing.ANON, Backing.HUGETLB)) {
            Mapped m = map(variant, b, b == Backing.HUGETLB, pmd);
            World w = m.world();
            Walk walk = m.task().mm().pageTables().walk(m.addr(), new Walk(), "test");
            assertTrue(walk.leafPresent, variant + " " + b);
            assertEquals(Level.PMD, walk.level, variant + " " + b + ": " + walk);
            int n = m.nrPages();
            Page[] pages = new Page[n];
            GupResult r = w.gup().pinUserPagesFast(m.task().mm(), m.addr(), n, EnumSet.of(Foll.WRITE), pages);
            assertEquals(n, r.ret(), variant + " " + b + ": " + r);
            assertEquals(GupResult.Path.FAST, r.path());
            assertTrue(pages[0].folio().large() && pages[0].folio() == pages[n - 1].folio(), "one huge folio");
            w.gup().unpinUserPages(pages, n);
            assertEquals(List.of(), m.teardown());
        }
    }
}
