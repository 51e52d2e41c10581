package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spec §6b, d3f7b1bb2040: generic GUP-fast offset folded levels from its stack copy of the entry,
 * and s390 folds levels at run time while keeping 5-level PGDIR_SIZE/P4D_SIZE, so over a range
 * crossing two region-third entries the PUD loop ran twice and read past the copy. With the
 * current lockless offsets the same exploration is SAFE, also while a concurrent mmap upgrades
 * the mm from 3 to 4 levels. On every variant.
 */
class FoldedOffsetOnCopyTest {

    /** Every s390 variant, from the registry (without the {@code s390:} prefix), on the latest kernel that has it. */
    static List<String> variants() {
        return GupArbitraries.everyVariantSpec("s390").stream().map(s -> s.substring("s390:".length())).toList();
    }

    private static ExplorationResult explore(String variant, String range, boolean mutant) {
        Kernel k = Worlds.latestKernelOf("s390:" + variant);
        return new Exploration(Scenarios.get("s390-gup-fast-vs-upgrade"), Map.of("range", range),
                ArchRegistry.load().parse("s390:" + variant, k),
                mutant ? k.with(GupPatches.FOLDED_OFFSET_ON_COPY) : k).explore();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theWalkThroughAStackCopyGoesPastItAcrossARegionThirdBoundary(String variant) {
        ExplorationResult r = explore(variant, "across", true);
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        var v = r.firstViolation().orElseThrow().violation();
        assertEquals(ViolationKind.BUG_ON, v.kind());
        assertTrue(v.message().contains("stepped past its stack copy of the pud entry"), v.message());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theCurrentLocklessOffsetsAreSafe(String variant) {
        ExplorationResult r = explore(variant, "across", false);
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
        assertTrue(r.exhausted());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void withinOneTopEntryEvenTheOldWalkIsRight(String variant) {
        ExplorationResult r = explore(variant, "inside", true);
        assertEquals(Verdict.SAFE, r.verdict(), r.render());
    }
}
