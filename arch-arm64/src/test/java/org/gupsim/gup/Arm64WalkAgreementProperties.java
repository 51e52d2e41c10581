package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.PropertyDefaults;
import org.gupsim.gup.Arm64Mappings.Hugetlb;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Violation;
import org.gupsim.scenario.Backing;
import org.gupsim.testkit.GupSetup;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Mapping;
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
 * On every arm64 variant, folded levels included, the lockless walk of GUP-fast and the locked
 * walk agree about a generated mapping ({@link WalkAgreement}): page by page, a page exactly where
 * the locked walk finds a present, user-readable, non-special leaf, and the page that leaf maps;
 * and one call over the whole mapping. Mappings go where mmap puts them, or across the boundary
 * between two entries of the top table, where a walk through its stack copy of a folded level
 * would go wrong.
 *
 * <p>The generated mappings leave out the giant hugetlb pages ({@link Mapping#GIANT_PAGES}:
 * 1G with 4K and 16K granules, 16G with 64K), a walk per page of which would cost as much as
 * the rest of the property; {@link #hugetlbLeavesAreFoundOnEveryVariant} covers them on every
 * variant, at every entry of the leaf or group.
 */
@PropertyDefaults(tries = 200)
class Arm64WalkAgreementProperties extends WalkAgreementSuite {

    @Override
    protected Arbitrary<GupSetup> setups() {
        return onTheCurrentKernel("arm64");
    }

    /**
     * The oracle catches a folding bug: on the released 6.10, 16k-52 without LPA2 reads a stack
     * word through its folded PUD (36639013b346) at the first page it looks up.
     */
    @Example
    void theReleasedSixTenFailsTheAgreementOn16k52() {
        Mapped m = new GupSetup("arm64:16k-52", KernelVersion.V6_10,
                Mapping.small(Backing.ANON, false, 8, Touch.WRITE, Prot.RW), Placements.ACROSS_TOP).build();
        KernelBugException e = assertThrows(KernelBugException.class, () -> WalkAgreement.check(m, true));
        assertEquals(Violation.STACK, e.violation().subject(), e.violation().toString());
        assertEquals(List.of(), m.teardown(), "nothing was pinned before the stray read");
    }

    /**
     * The placement straddles a top-table boundary: below mmap_base where there is one (16k-52:
     * PUD entries of 64 GiB), above it where the top entry spans all of the 48-bit window
     * (4k-52+lpa2: PGD entries of 256 TiB, a 52-bit address space); a single huge page ends there.
     */
    @Example
    void theAcrossTopPlacementStraddlesATopTableBoundary() {
        World w = Worlds.boot("arm64:16k-52", KernelVersion.LATEST, GupSetup.MEMORY);
        long page = 1L << 14;
        long boundary = (w.arch().mmapBase() - 1) & -(1L << 36);
        assertEquals(boundary - 4 * page, WalkAgreement.acrossTopEntry(w, 8 * page, page));
        assertEquals(boundary - (32L << 20), WalkAgreement.acrossTopEntry(w, 32L << 20, 32L << 20));
        w.teardown();
        w = Worlds.boot("arm64:4k-52+lpa2", KernelVersion.LATEST, GupSetup.MEMORY);
        assertEquals((1L << 48) - 4 * 4096, WalkAgreement.acrossTopEntry(w, 8 * 4096, 4096));
        w.teardown();
    }

    /** {@link PageTables#walk} at {@code a} under the mmap lock, as the slow path walks. */
    private static Walk lockedWalk(Mapped m, long a) {
        var cpu = m.world().vm().cpu();
        m.task().mm().mmapLock().downRead(cpu);
        try {
            return m.task().mm().pageTables().walk(a, new Walk(), "test");
        } finally {
            m.task().mm().mmapLock().upRead(cpu);
        }
    }

    /** The frame the leaf {@code walk} found maps at {@code a}. */
    private static long mappedPfn(Geometry g, EntryFormat f, Walk walk, long a) {
        return f.leafPfn(walk.level, walk.entry) + ((a & (g.size(walk.level) - 1)) >>> g.pageShift());
    }

    /** Every variant with every hugetlb page size it has, and the level whose entries map it. */
    static Stream<Arguments> hugetlbPages() {
        List<Arguments> out = new ArrayList<>();
        for (String v : Arm64Mappings.variants()) {
            for (Hugetlb h : Hugetlb.values()) {
                Level level = switch (h) {
                    case PMD, CONT_PMD -> Level.PMD;
                    case CONT_PTE -> Level.PTE;
                    case PUD -> Level.PUD;
                };
                if (h.existsOn(Worlds.variant(v, KernelVersion.LATEST))) {
                    out.add(Arguments.of(v, h, level));
                }
            }
        }
        return out.stream();
    }

    /**
     * Every hugetlb page size on every variant, the giant ones included (no sampling: the variants
     * and sizes are few). At the first and last page of every entry of the leaf or contiguous
     * group, the locked walk finds a leaf at the level the architecture puts that size at and
     * GUP-fast returns the page it maps there; over the whole page GUP-fast and the slow path
     * ({@code get_user_pages()}) return every subpage, in order.
     */
    @ParameterizedTest(name = "{0} {1} at {2}")
    @MethodSource("hugetlbPages")
    void hugetlbLeavesAreFoundOnEveryVariant(String variant, Hugetlb backing, Level level) {
        Mapped m = backing.map(variant, true, Touch.WRITE);
        World w = m.world();
        assertEquals(backing.size(w.arch()), m.len(), "one huge page");
        PageTables pt = m.task().mm().pageTables();
        Geometry g = pt.geometry();
        long entrySize = g.size(level);
        Page[] one = new Page[1];
        for (long entry = m.addr(); entry < m.addr() + m.len(); entry += entrySize) {
            for (long a : new long[] {entry, entry + entrySize - m.pageSize()}) {
                Walk walk = lockedWalk(m, a);
                assertTrue(walk.leafPresent, "0x" + Long.toHexString(a) + ": " + walk);
                assertEquals(level, walk.level, "the level that maps a " + backing + " page");
                GupResult r = w.gup().getUserPagesFastOnly(m.task().mm(), a, 1, EnumSet.noneOf(Foll.class), one);
                assertEquals(1, r.pages(), "0x" + Long.toHexString(a) + ": " + r);
                assertEquals(mappedPfn(g, pt.format(), walk, a), one[0].pfn(), "0x" + Long.toHexString(a));
                w.gup().putPages(one, 1);
            }
        }
        Arm64Mappings.bothPathsReachEverySubpage(m);
        assertEquals(List.of(), m.teardown(), "teardown");
    }
}
