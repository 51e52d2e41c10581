package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4's verdicts on powerpc book3s64, each from an exhaustive exploration: the GUP-fast
 * scenarios are SAFE on every variant with the current kernel; freeing tables right after the
 * flush is a use-after-free wherever the flush is a {@code tlbie} broadcast (radix, and hash,
 * whose HPTE removal does not interrupt the walker either); with the radix IPI multicast the
 * flush waits for the IRQ-off walker, so it is SAFE; walking with IRQs on is a use-after-free
 * everywhere.
 */
class PpcScenarioVerdictTest {
    static final List<String> BROADCAST = List.of("radix-64k", "radix-4k", "hash-64k");
    static final List<String> IPI = List.of("radix-64k+ipi", "radix-4k+ipi");

    record Case(String scenario, Map<String, String> params, String variant, List<Patch> patches, Verdict verdict) {
        Case {
            params = new TreeMap<>(params); // sorted: toString() names the test, the same in every run
        }

        Case(String scenario, String variant, List<Patch> patches, Verdict verdict) {
            this(scenario, Map.of(), variant, patches, verdict);
        }

        @Override
        public String toString() {
            return scenario + params + " ppc64:" + variant + " latest " + patches + " -> " + verdict;
        }
    }

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        List<Patch> none = List.of();
        for (String v : Stream.concat(BROADCAST.stream(), IPI.stream()).toList()) {
            for (String s : List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate", "gup-fast-vs-evict")) {
                b.add(new Case(s, v, none, Verdict.SAFE));
            }
            b.add(new Case("gup-fast-vs-munmap", v, List.of(GupPatches.NO_IRQ_DISABLE), Verdict.VIOLATION));
            // A hugetlb folio of the default huge size (2M radix, 16M hash) and a shared ext4 file.
            b.add(new Case("gup-fast-vs-truncate", Map.of("backing", "hugetlb"), v, none, Verdict.SAFE));
            b.add(new Case("gup-fast-vs-munmap", Map.of("backing", "ext4", "pages", "3"), v, none, Verdict.SAFE));
        }
        for (String v : BROADCAST) {
            b.add(new Case("gup-fast-vs-munmap", v, List.of(TlbPatches.IMMEDIATE_TABLE_FREE), Verdict.VIOLATION));
        }
        for (String v : IPI) {
            b.add(new Case("gup-fast-vs-munmap", v, List.of(TlbPatches.IMMEDIATE_TABLE_FREE), Verdict.SAFE));
        }
        return b.build();
    }

    static Exploration exploration(Case c) {
        KernelVersion k = KernelVersion.LATEST;
        return new Exploration(Scenarios.get(c.scenario()), c.params(),
                ArchRegistry.load().parse("ppc64:" + c.variant(), k), k.with(c.patches()));
    }

    /** The two lists are every variant there is, so that none is left out of the cases. */
    @Test
    void theCasesCoverEveryVariant() {
        List<String> all = GupArbitraries.variantSpecs("ppc64").stream().map(s -> s.substring("ppc64:".length()))
                .sorted().toList();
        assertEquals(all, Stream.concat(BROADCAST.stream(), IPI.stream()).sorted().toList());
        for (String v : BROADCAST) {
            assertEquals(org.gupsim.tlb.BroadcastFlush.PROMISE, ArchRegistry.load().parse("ppc64:" + v, KernelVersion.LATEST)
                    .shootdown(), v);
        }
        for (String v : IPI) {
            assertEquals("IPI-MULTICAST", ArchRegistry.load().parse("ppc64:" + v, KernelVersion.LATEST)
                    .shootdown().name(), v);
        }
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
}
