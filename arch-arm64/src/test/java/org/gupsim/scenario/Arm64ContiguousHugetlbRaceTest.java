package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.Foll;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gup-fast-vs-munmap over an arm64 contiguous-PTE hugetlb page (64K with 4K granules, 2M with 16K
 * and 64K), explored exhaustively: CPU0 pins the first two pages of the group (two entries) with
 * pin_user_pages_fast() while CPU1 munmaps the page, zapping the whole group entry by entry and
 * freeing the PTE table. Safe with RCU table freeing; freeing the table right after the broadcast
 * TLBI lets the walk read a freed table, as for base pages.
 */
class Arm64ContiguousHugetlbRaceTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    /**
     * gup-fast-vs-munmap's race ({@link GupFastRace}) over one hugetlb page of the contiguous-PTE size
     * of whatever arm64 variant it runs on, two of whose pages CPU0 pins.
     */
    static final class ContPteVsMunmap extends GupFastRace {
        ContPteVsMunmap() {
            super("arm64-cont-pte-hugetlb-vs-munmap",
                    "CPU0 pin_user_pages_fast(FOLL_WRITE) of two pages of a contiguous-PTE hugetlb page; CPU1 munmap()s it",
                    List.of("hugetlb"), false, EnumSet.of(Foll.WRITE));
        }

        /** The contiguous-PTE size: the second of arm64's huge page sizes (Arm64Layout#hugePageSizes). */
        @Override
        int pageShift(World world, Backing backing) {
            return Long.numberOfTrailingZeros(world.arch().hugePageSizes()[1]);
        }

        @Override
        void race(World world, MappedBacking m) {
            m.task.munmap(m.addr, m.len);
        }
    }

    @ParameterizedTest(name = "arm64:{0} {1}")
    @CsvSource({"4k-48, none, SAFE", "16k-47, none, SAFE", "64k-42, none, SAFE",
        "4k-48, immediate-table-free, VIOLATION", "64k-42, immediate-table-free, VIOLATION"})
    void verdict(String variant, String mutant, Verdict expected) {
        KernelVersion k = KernelVersion.LATEST;
        List<Patch> patches = mutant.equals("none") ? List.of() : List.of(KernelCatalogue.get().patch(mutant));
        Exploration e = new Exploration(new ContPteVsMunmap(), Map.of("pages", "2"), ARCHES.parse("arm64:" + variant, k),
                k.with(patches));
        ExplorationResult r = e.explore();
        assertEquals(expected, r.verdict(), r.render());
        if (expected == Verdict.SAFE) {
            assertTrue(r.exhausted(), r.render());
            assertTrue(r.outcomes().containsKey("pinned=2"), "some interleaving pins both pages: " + r.render());
            assertTrue(r.outcomes().keySet().stream().anyMatch(o -> !o.equals("pinned=2")),
                    "and some sees the group (partly) zapped: " + r.render());
            return;
        }
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(ViolationKind.USE_AFTER_FREE, cx.violation().kind(), r.render());
        assertTrue(cx.violation().message().contains("table"), cx.violation().message());
    }
}
