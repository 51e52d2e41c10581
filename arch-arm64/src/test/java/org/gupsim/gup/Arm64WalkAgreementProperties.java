package org.gupsim.gup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.gupsim.gup.Arm64Mappings.Backing;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Violation;
import org.gupsim.testkit.Mapped;
import org.gupsim.testkit.Prot;
import org.gupsim.testkit.Touch;
import org.gupsim.testkit.WalkAgreement;

/**
 * On every arm64 variant, folded levels included, the lockless walk of GUP-fast and the locked
 * walk agree about a generated mapping ({@link WalkAgreement}): page by page, a page exactly where
 * the locked walk finds a present, user-readable, non-special leaf, and the page that leaf maps;
 * and one call over the whole mapping. Mappings go where mmap puts them, or across the boundary
 * between two entries of the top table, where a walk through its stack copy of a folded level
 * would go wrong.
 */
class Arm64WalkAgreementProperties {

    record Setup(String variant, Backing backing, boolean shared, Touch touch, Prot prot, boolean acrossTop) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                Arbitraries.of(Arm64Mappings.variants()),
                Arbitraries.of(Backing.ANON, Backing.THP, Backing.MEMFD, Backing.HUGETLB, Backing.HUGETLB_CONT_PTE,
                        Backing.HUGETLB_CONT_PMD, Backing.EXT4),
                Arbitraries.of(true, false), Arbitraries.of(Touch.class), Arbitraries.of(Prot.class),
                Arbitraries.of(false, true))
                .as(Setup::new);
    }

    @Property(tries = 200)
    void lockedAndLocklessWalksAgree(@ForAll("setups") Setup s) {
        World w = Arm64Mappings.boot(s.variant(), KernelVersion.LATEST);
        if (!Arm64Mappings.fits(w, s.backing())) {
            w.teardown();
            return;
        }
        Mapped m = Arm64Mappings.map(w, s.backing(), s.shared(), s.touch(), s.prot(), 8, s.acrossTop());
        assertNotNull(m, s + ": mmap");
        WalkAgreement.Found found = WalkAgreement.check(m, true);
        Statistics.label("levels").collect(m.task().mm().pageTables().geometry().levels());
        Statistics.label("pages found").collect(found.pages() == 0 ? "none"
                : found.pages() == m.nrPages() ? "all" : "some");
        assertEquals(List.of(), m.teardown(), "teardown");
    }

    /**
     * The oracle catches a folding bug: on the released 6.10, 16k-52 without LPA2 reads a stack
     * word through its folded PUD (36639013b346) at the first page it looks up.
     */
    @Example
    void theReleasedSixTenFailsTheAgreementOn16k52() {
        World w = Arm64Mappings.boot("16k-52", KernelVersion.V6_10);
        Mapped m = Arm64Mappings.map(w, Backing.ANON, false, Touch.WRITE, Prot.RW, 8, true);
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
        World w = Arm64Mappings.boot("16k-52", KernelVersion.LATEST);
        long page = 1L << 14;
        long boundary = (w.arch().mmapBase() - 1) & -(1L << 36);
        assertEquals(boundary - 4 * page, WalkAgreement.acrossTopEntry(w, 8 * page, page));
        assertEquals(boundary - (32L << 20), WalkAgreement.acrossTopEntry(w, 32L << 20, 32L << 20));
        w.teardown();
        w = Arm64Mappings.boot("4k-52+lpa2", KernelVersion.LATEST);
        assertEquals((1L << 48) - 4 * 4096, WalkAgreement.acrossTopEntry(w, 8 * 4096, 4096));
        w.teardown();
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
