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
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.SmpPatches;
import org.gupsim.testkit.Explorations;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verdicts of issue 3, each from an exhaustive exploration (partial-order reduction) on
 * x86-64. Expected values follow the kernel's reasoning: who waits for whom at a flush, and which
 * RCU flavour a free waits for. Two lines of the issue were refined by exploration and the
 * sources (see the issue note): 6.6+ runs the GUP-fast mapping check under pte_offset_map()'s
 * rcu_read_lock(), and the pre-6.10 folio_is_secretmem() check leaves the seed patch exposed
 * under split RCU flavours.
 */
class ScenarioVerdictTest {

    record Case(String scenario, Map<String, String> params, String variant, String kernel, List<Patch> patches,
                Verdict verdict, ViolationKind kind, String where) {
        @Override
        public String toString() {
            return scenario + params + " x86_64:" + variant + " " + kernel + " " + patches + " -> " + verdict
                    + (kind != null ? " " + kind : "");
        }
    }

    private static Case safe(String scenario, String variant, String kernel, Patch... m) {
        return new Case(scenario, Map.of(), variant, kernel, set(m), Verdict.SAFE, null, null);
    }

    private static Case bad(String scenario, String variant, String kernel, ViolationKind kind, String where,
                            Patch... m) {
        return new Case(scenario, Map.of(), variant, kernel, set(m), Verdict.VIOLATION, kind, where);
    }

    private static List<Patch> set(Patch... m) {
        return List.of(m);
    }

    static Stream<Case> cases() {
        String munmap = "gup-fast-vs-munmap";
        String truncate = "gup-fast-vs-truncate";
        String evict = "gup-fast-vs-evict";
        List<String> all = List.of("native", "native-rcu", "paravirt", "invlpgb");
        Stream.Builder<Case> b = Stream.builder();
        for (String v : all) {
            // Every x86 variant is safe on the latest kernel that has it (native: the last before 6.15).
            String k = current(v);
            b.add(safe(munmap, v, k));
            b.add(safe(truncate, v, k));
            b.add(safe(evict, v, k));
            // Without IRQs off, nothing holds a flush or a grace period back.
            b.add(bad(munmap, v, k, ViolationKind.USE_AFTER_FREE, "table", GupPatches.NO_IRQ_DISABLE));
            // 6.6+: the mapping check runs inside pte_offset_map()'s rcu_read_lock().
            b.add(safe(evict, v, k, SmpPatches.SPLIT_RCU_FLAVORS));
        }
        // Freeing tables right after the flush is fine only where the flush waited for the walker.
        b.add(safe(munmap, "native", "6.10", TlbPatches.IMMEDIATE_TABLE_FREE));
        b.add(safe(munmap, "native-rcu", "latest", TlbPatches.IMMEDIATE_TABLE_FREE));
        b.add(bad(munmap, "invlpgb", "latest", ViolationKind.USE_AFTER_FREE, "table", TlbPatches.IMMEDIATE_TABLE_FREE));
        b.add(bad(munmap, "paravirt", "latest", ViolationKind.USE_AFTER_FREE, "table", TlbPatches.IMMEDIATE_TABLE_FREE));
        // No batch page: tlb_remove_table_one() IPIs every CPU and waits, which the IRQ-off walker
        // holds up even where the flush itself was a broadcast.
        b.add(new Case(munmap, Map.of("table-batch", "fail"), "invlpgb", "latest", set(), Verdict.SAFE, null, null));
        b.add(new Case(munmap, Map.of("table-batch", "fail"), "invlpgb", "latest", set(GupPatches.NO_IRQ_DISABLE),
                Verdict.VIOLATION, ViolationKind.USE_AFTER_FREE, "table"));
        // 6.4 has no rule: a long-term write pin of a shared ext4 mapping is taken, whatever the
        // flush (an IPI with native, none for a preempted vCPU with paravirt, the two 6.4 had);
        // the current kernel refuses it on every variant.
        for (String v : all) {
            if (v.equals("native") || v.equals("paravirt")) {
                b.add(new Case(truncate, Map.of("backing", "ext4"), v, "6.4", set(), Verdict.VIOLATION,
                        ViolationKind.LONGTERM_WRITE_PIN_ON_DIRTY_TRACKED, "ext4"));
            }
            b.add(new Case(truncate, Map.of("backing", "ext4"), v, current(v), set(), Verdict.SAFE, null, null));
        }
        // Pre-4.20 RCU: IRQ-off no longer holds off the inode's call_rcu(). Where the flush waits
        // for the walker (IPI) it is still safe; where it does not (a preempted vCPU), 6.5's
        // mapping check dereferences a freed address space.
        for (String k : List.of("v6-patch", "6.5")) {
            b.add(safe(evict, "native", k, SmpPatches.SPLIT_RCU_FLAVORS));
        }
        b.add(bad(evict, "paravirt", "6.5", ViolationKind.USE_AFTER_FREE, "shmem_mapping", SmpPatches.SPLIT_RCU_FLAVORS));
        // The seed's rcu_read_lock() protects its own check, but folio_is_secretmem() (5.14-6.9)
        // dereferences the mapping under IRQ-off alone.
        b.add(bad(evict, "paravirt", "v6-patch", ViolationKind.USE_AFTER_FREE, "folio_is_secretmem",
                SmpPatches.SPLIT_RCU_FLAVORS));
        return b.build();
    }

    /**
     * The latest kernel that has {@code variant}: {@code native} (tables freed right after the
     * flush) is x86 before a37259732a7d, so 6.10; the others exist on the latest.
     */
    static String current(String variant) {
        return variant.equals("native") ? "6.10" : "latest";
    }

    static Exploration exploration(Case c) {
        KernelVersion k = KernelVersion.parse(c.kernel());
        return new Exploration(Scenarios.get(c.scenario()), c.params(),
                ArchRegistry.load().parse("x86_64:" + c.variant(), k), k.with(c.patches()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        Exploration e = exploration(c);
        if (c.verdict() == Verdict.SAFE) {
            ExplorationResult r = Explorations.assertSafe(e);
            assertTrue(r.outcomes().keySet().stream().anyMatch(o -> o.startsWith("pinned=")), r.render());
        } else {
            Explorations.assertViolation(e, c.kind(), c.where());
        }
    }

    static Stream<Arguments> determinism() {
        return cases().filter(c -> c.scenario().equals("gup-fast-vs-munmap")).limit(6).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("determinism")
    void theSameExplorationTwiceGivesTheSameResult(Case c) {
        assertEquals(exploration(c).explore().render(), exploration(c).explore().render());
    }
}
