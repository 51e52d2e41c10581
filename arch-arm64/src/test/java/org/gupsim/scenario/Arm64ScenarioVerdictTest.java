package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's verdicts on every arm64 variant, each from an exhaustive exploration: the current
 * kernel is safe against munmap, truncate and eviction; freeing tables right after the broadcast
 * TLBI (which waits for no CPU) lets GUP-fast read a freed table; and without IRQs off nothing
 * holds a grace period back either. On 6.10, 16k-52 has the stray stack read of 36639013b346.
 */
class Arm64ScenarioVerdictTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    record Case(String scenario, String variant, List<Patch> patches, Verdict verdict) {
        @Override
        public String toString() {
            return scenario + " arm64:" + variant + " latest " + patches + " -> " + verdict;
        }
    }

    /**
     * Every arm64 variant of the current kernel (each base, and +lpa2 where it applies), without
     * the {@code arm64:} prefix.
     */
    static List<String> variants() {
        return GupArbitraries.variantSpecs("arm64", KernelVersion.LATEST).stream()
                .map(s -> s.substring("arm64:".length())).toList();
    }

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        List<Patch> none = List.of();
        for (String v : variants()) {
            for (String s : List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict")) {
                b.add(new Case(s, v, none, Verdict.SAFE));
            }
            b.add(new Case("gup-fast-vs-munmap", v, List.of(TlbPatches.IMMEDIATE_TABLE_FREE), Verdict.VIOLATION));
            b.add(new Case("gup-fast-vs-munmap", v, List.of(GupPatches.NO_IRQ_DISABLE), Verdict.VIOLATION));
        }
        return b.build();
    }

    static Exploration exploration(Case c) {
        KernelVersion k = KernelVersion.LATEST;
        return new Exploration(Scenarios.get(c.scenario()), Map.of(), ARCHES.parse("arm64:" + c.variant(), k),
                k.with(c.patches()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        Exploration e = exploration(c);
        if (c.verdict() == Verdict.SAFE) {
            ExplorationResult r = Explorations.assertSafe(e);
            assertTrue(r.outcomes().keySet().stream().anyMatch(o -> o.startsWith("pinned=")), r.render());
        } else {
            Explorations.assertViolation(e, ViolationKind.USE_AFTER_FREE, "table");
        }
    }

    /**
     * 36639013b346 is not a race: on the released 6.10, 16k-52 without LPA2 reads a stack word
     * through its run-time folded PUD in the first schedule of every scenario; 6.15 has the fix.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict"})
    void sixTenReadsTheStackOn16k52AndSixFifteenIsSafe(String scenario) {
        KernelVersion old = KernelVersion.V6_10;
        Exploration e = new Exploration(Scenarios.get(scenario), Map.of(), ARCHES.parse("arm64:16k-52", old), old);
        var cx = Explorations.assertViolation(e, ViolationKind.BUG_ON, "pud_offset_lockless() aligned its stack copy");
        assertEquals(Violation.STACK, cx.violation().subject());
        KernelVersion fixed = KernelVersion.V6_15;
        Explorations.assertSafe(new Exploration(Scenarios.get(scenario), Map.of(),
                ARCHES.parse("arm64:16k-52", fixed), fixed));
    }

    @Test
    void everyVariantIsABroadcastFlushWithRcuTableFreeing() {
        for (String v : variants()) {
            var a = ARCHES.parse("arm64:" + v, KernelVersion.LATEST);
            assertEquals(org.gupsim.tlb.BroadcastFlush.PROMISE, a.shootdown(), v);
            assertEquals(org.gupsim.tlb.RcuTableFree.PROMISE, a.tableFreeing(), v);
        }
    }
}
