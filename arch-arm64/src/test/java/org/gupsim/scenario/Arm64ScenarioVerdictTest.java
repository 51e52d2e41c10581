package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Counterexample;
import org.gupsim.sched.ExplorationResult;
import org.gupsim.sched.Mutant;
import org.gupsim.sched.Verdict;
import org.gupsim.sched.ViolationKind;
import org.gupsim.tlb.FlushBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4's verdicts on every arm64 variant, each from an exhaustive exploration: the current
 * kernel is safe against munmap, truncate and eviction; freeing tables right after the broadcast
 * TLBI (which waits for no CPU) lets GUP-fast read a freed table; and without IRQs off nothing
 * holds a grace period back either.
 */
class Arm64ScenarioVerdictTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();

    record Case(String scenario, String variant, Set<Mutant> mutants, Verdict verdict) {
        @Override
        public String toString() {
            return scenario + " arm64:" + variant + " latest " + mutants + " -> " + verdict;
        }
    }

    static List<String> variants() {
        List<String> out = new ArrayList<>();
        for (String base : ARCHES.get("arm64").variants()) {
            out.add(base);
            if (!base.startsWith("64k")) {
                out.add(base + "+lpa2");
            }
        }
        return out;
    }

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        Set<Mutant> none = EnumSet.noneOf(Mutant.class);
        for (String v : variants()) {
            for (String s : List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict")) {
                b.add(new Case(s, v, none, Verdict.SAFE));
            }
            b.add(new Case("gup-fast-vs-munmap", v, EnumSet.of(Mutant.IMMEDIATE_TABLE_FREE), Verdict.VIOLATION));
            b.add(new Case("gup-fast-vs-munmap", v, EnumSet.of(Mutant.NO_IRQ_DISABLE), Verdict.VIOLATION));
        }
        return b.build();
    }

    static Exploration exploration(Case c) {
        KernelVersion k = KernelVersion.LATEST;
        return new Exploration(Scenarios.get(c.scenario()), Map.of(), ARCHES.parse("arm64:" + c.variant(), k), k,
                c.mutants());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        Exploration e = exploration(c);
        ExplorationResult r = e.explore();
        assertEquals(c.verdict(), r.verdict(), r.render());
        if (c.verdict() == Verdict.SAFE) {
            assertTrue(r.exhausted(), "SAFE must mean the whole space was explored: " + r.render());
            assertTrue(r.outcomes().keySet().stream().anyMatch(o -> o.startsWith("pinned=")), r.render());
            return;
        }
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(ViolationKind.USE_AFTER_FREE, cx.violation().kind(), r.render());
        assertTrue(cx.violation().message().contains("table"), cx.violation().message());
        assertEquals(cx.trace().render(), e.replay(cx.schedule()).render());
    }

    @Test
    void everyVariantIsABroadcastFlushWithRcuTableFreeing() {
        for (String v : variants()) {
            var a = ARCHES.parse("arm64:" + v, KernelVersion.LATEST);
            assertEquals(FlushBackend.Style.BROADCAST, a.shootdown(), v);
            assertEquals(org.gupsim.tlb.TableFreePolicy.Kind.RCU, a.tableFreeing(), v);
        }
    }
}
