package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.arch.arm64.Arm64EntryFormat;
import org.gupsim.arch.arm64.Arm64Layout;
import org.gupsim.gup.Arm64Mappings.Hugetlb;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Touch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * arm64 hugetlb pages of the contiguous-bit sizes (arch/arm64/mm/hugetlbpage.c): one folio mapped
 * by a naturally aligned group of PTEs or PMDs, each with PTE_CONT and its own part of the folio.
 * The fault writes the whole group, GUP-fast and the slow path take each entry as it is (per page,
 * or per block, with references on the one folio), a write fault changes every entry, and munmap
 * clears the group and drops the folio's one mapping once.
 */
class Arm64ContiguousHugetlbTest {

    /**
     * Every variant with both contiguous sizes, shared and private: 64K/32M (4K granule), 2M/1G
     * (16K), 2M/16G (64K), each on a world of three such pages; the giant 1G and 16G groups on
     * one variant per granule ({@link Arm64Mappings#tabled}), each case over one costing as much
     * as a hundred others (Arm64WalkAgreementProperties reaches them on every variant).
     */
    static Stream<Arguments> groups() {
        List<Arguments> out = new ArrayList<>();
        for (String v : Arm64Mappings.variants()) {
            for (Hugetlb b : List.of(Hugetlb.CONT_PTE, Hugetlb.CONT_PMD)) {
                if (!Arm64Mappings.tabled(b.setup(v, true, Touch.NONE))) {
                    continue;
                }
                out.add(Arguments.of(v, b, true));
                out.add(Arguments.of(v, b, false));
            }
        }
        return out.stream();
    }

    /** Run on every row of {@link #groups}: variant, contiguous size, shared. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ParameterizedTest(name = "{0} {1} shared={2}")
    @MethodSource("groups")
    private @interface OnEveryGroup {
    }

    private static Level groupLevel(Hugetlb b) {
        return b == Hugetlb.CONT_PTE ? Level.PTE : Level.PMD;
    }

    private static int groupEntries(Hugetlb b, int pageShift) {
        return b == Hugetlb.CONT_PTE ? Arm64Layout.contPtes(pageShift) : Arm64Layout.contPmds(pageShift);
    }

    /** The folio behind the mapping, after checking every entry of the group. */
    private static Folio checkGroup(Mapped m, Hugetlb b) {
        PageTables pt = m.task().mm().pageTables();
        Geometry g = pt.geometry();
        Arm64EntryFormat f = (Arm64EntryFormat) pt.format();
        Level level = groupLevel(b);
        int n = groupEntries(b, g.pageShift());
        long entrySize = g.size(level);
        assertEquals(m.len(), n * entrySize, "one huge page is one group");
        Folio folio = null;
        for (int i = 0; i < n; i++) {
            Walk w = pt.peekWalk(m.addr() + i * entrySize, new Walk());
            assertTrue(w.leafPresent, "entry " + i + ": " + w);
            assertEquals(level, w.level, "entry " + i);
            assertTrue(f.leafCont(level, w.entry), "entry " + i + " has PTE_CONT: " + f.describe(level, w.entry));
            Page p = m.world().mem().pfnToPage(f.leafPfn(level, w.entry));
            if (folio == null) {
                folio = p.folio();
                assertEquals(folio.pfn(), p.pfn(), "the first entry maps the folio's head");
            }
            assertSame(folio, p.folio(), "entry " + i + " maps the same folio");
            assertEquals(folio.pfn() + i * (entrySize >>> g.pageShift()), p.pfn(), "entry " + i + " maps its own part");
        }
        assertTrue(folio.hugetlb());
        assertEquals(m.nrPages(), folio.nrPages());
        assertEquals(1, folio.mapcount(), "one mapping, however many entries");
        assertEquals(List.of(), m.world().checkAccounting(), "accounting");
        return folio;
    }

    @OnEveryGroup
    void theFaultWritesTheWholeGroupAndBothPathsReachEverySubpage(String variant, Hugetlb b, boolean shared) {
        Mapped m = b.map(variant, shared, Touch.WRITE_FIRST_HALF);
        Folio folio = checkGroup(m, b);
        assertEquals(folio.pfn(), Arm64Mappings.bothPathsReachEverySubpage(m), "the group's first page is the folio's head");
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    /** FOLL_PIN on a large folio counts each page in _pincount and the refcount; unpinning gives all back. */
    @OnEveryGroup
    void pinsAreCountedPerPageOnTheOneFolio(String variant, Hugetlb b, boolean shared) {
        Mapped m = b.map(variant, shared, Touch.WRITE);
        World w = m.world();
        Folio folio = checkGroup(m, b);
        int refs = folio.refcount();
        int n = m.nrPages();
        // A range that starts and ends inside the group, crossing entries.
        int first = n / 4 + 1;
        int count = n / 2;
        long start = m.addr() + ((long) first << w.mem().pageShift());
        EnumSet<Foll> flags = EnumSet.of(Foll.WRITE, Foll.LONGTERM);
        Page[] fastPages = new Page[count];
        GupResult fast = w.gup().pinUserPagesFast(m.task().mm(), start, count, flags, fastPages);
        assertEquals(count, fast.fastPinned(), fast.toString());
        assertEquals(count, folio.pincount());
        assertEquals(refs + count, folio.refcount());
        assertTrue(folio.maybeDmaPinned());
        Page[] slowPages = new Page[count];
        var cpu = w.vm().cpu();
        m.task().mm().mmapLock().downRead(cpu);
        try {
            assertEquals(count, w.gup().pinUserPages(m.task().mm(), start, count, flags, slowPages).pages());
        } finally {
            m.task().mm().mmapLock().upRead(cpu);
        }
        assertEquals(2 * count, folio.pincount());
        assertEquals(refs + 2 * count, folio.refcount());
        for (int i = 0; i < count; i++) {
            assertEquals(folio.pfn() + first + i, fastPages[i].pfn());
            assertEquals(folio.pfn() + first + i, slowPages[i].pfn());
        }
        assertEquals(List.of(), w.checkAccounting(), "accounting while pinned");
        w.gup().unpinUserPages(fastPages, count);
        w.gup().unpinUserPages(slowPages, count);
        assertEquals(0, folio.pincount());
        assertEquals(refs, folio.refcount());
        assertFalse(folio.maybeDmaPinned());
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    /**
     * A write fault on one page of an unmapped huge page installs the whole group, every entry
     * writable and dirty (set_huge_pte_at() writes them all from one pte). A later write through
     * the MMU to a writable clean entry would be a hardware dirty-bit update of that entry alone,
     * which is why arm64's huge_ptep_get() gathers dirtiness across a group.
     */
    @OnEveryGroup
    void aWriteFaultOnOnePageMapsTheWholeGroupDirty(String variant, Hugetlb b, boolean shared) {
        Mapped m = b.map(variant, shared, Touch.NONE);
        long page = m.pageSize();
        assertEquals(0, m.task().touch(m.addr() + m.len() - page, page, true), "write the last page");
        checkGroup(m, b);
        PageTables pt = m.task().mm().pageTables();
        Arm64EntryFormat f = (Arm64EntryFormat) pt.format();
        Level level = groupLevel(b);
        long entrySize = pt.geometry().size(level);
        for (long a = m.addr(); a < m.addr() + m.len(); a += entrySize) {
            Walk walk = pt.peekWalk(a, new Walk());
            assertTrue(f.leafWrite(level, walk.entry) && f.leafDirty(level, walk.entry) && f.leafYoung(level, walk.entry),
                    "0x" + Long.toHexString(a) + ": " + f.describe(level, walk.entry));
        }
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    /** munmap clears every entry of the group and drops the folio's one mapping and reference. */
    @OnEveryGroup
    void munmapClearsTheWholeGroup(String variant, Hugetlb b, boolean shared) {
        Mapped m = b.map(variant, shared, Touch.WRITE);
        Folio folio = checkGroup(m, b);
        int refs = folio.refcount();
        assertEquals(0, m.task().munmap(m.addr(), m.len()));
        PageTables pt = m.task().mm().pageTables();
        for (long a = m.addr(); a < m.addr() + m.len(); a += m.pageSize()) {
            assertFalse(pt.peekWalk(a, new Walk()).leafPresent, "0x" + Long.toHexString(a));
        }
        if (shared) {
            assertEquals(0, folio.mapcount());
            assertEquals(refs - 1, folio.refcount(), "the page cache keeps its reference");
        } else {
            assertTrue(folio.freed(), "the private folio is freed");
        }
        assertEquals(List.of(), m.world().checkAccounting(), "accounting");
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
