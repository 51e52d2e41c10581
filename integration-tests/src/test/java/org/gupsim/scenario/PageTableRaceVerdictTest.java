package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.VmPatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13's verdicts, each from an exhaustive exploration: the races where page tables go away
 * under GUP-fast (khugepaged's collapse, alone and followed by a munmap on a third CPU, and
 * madvise(MADV_DONTNEED) with PT_RECLAIM, khugepaged's retraction of shmem page tables) are SAFE on every release's default variant of every
 * architecture; the historic patches show their violation where the kernel says they could (a
 * flush that does not wait for the IRQ-off walker: broadcast TLBI, INVLPGB, a paravirt flush that
 * skips a preempted vCPU) and not where it could not (an IPI flush; powerpc's collapse, which
 * IPIs the mm's CPUs itself). Violations are searched to the end, so the counterexample is the
 * shortest, and replayed.
 */
class PageTableRaceVerdictTest {
    private static final ArchRegistry ARCHES = ArchRegistry.load();
    private static final List<String> ARCH_NAMES = List.of("x86_64", "arm64", "s390", "ppc64");
    private static final List<String> NEW_SCENARIOS = List.of("gup-fast-vs-dontneed", "gup-fast-vs-collapse",
            "gup-fast-vs-collapse-munmap", "gup-fast-vs-retract", "gup-fast-vs-madv-collapse");

    record Case(String scenario, Map<String, String> params, String arch, KernelVersion release, List<Patch> patches,
                ViolationKind kind, String where) {
        @Override
        public String toString() {
            return scenario + (params.isEmpty() ? "" : params.toString()) + " " + arch + " " + release.label()
                    + (patches.isEmpty() ? "" : " +" + patches) + " -> " + (kind == null ? "SAFE" : kind + " " + where);
        }

        Kernel kernel() {
            return release.with(patches.toArray(new Patch[0]));
        }
    }

    private static Case safe(String scenario, String arch, KernelVersion k, Patch... p) {
        return new Case(scenario, Map.of(), arch, k, List.of(p), null, null);
    }

    private static Case bad(String scenario, String arch, ViolationKind kind, String where, Patch... p) {
        return bad(scenario, arch, KernelVersion.LATEST, kind, where, p);
    }

    private static Case bad(String scenario, String arch, KernelVersion k, ViolationKind kind, String where,
                            Patch... p) {
        return new Case(scenario, Map.of(), arch, k, List.of(p), kind, where);
    }

    /**
     * Every release on each architecture's default variant for it: all SAFE. The three-CPU
     * scenario, the costliest, on the releases where what it runs differs (6.5: retraction under
     * the mmap lock, no PT_RECLAIM; 6.15: RCU-deferred retraction, PT_RECLAIM on x86; latest:
     * madvise under the VMA lock, PT_RECLAIM everywhere but powerpc).
     */
    static Stream<Case> releases() {
        List<Case> out = new ArrayList<>();
        for (KernelVersion k : KernelVersion.values()) {
            for (String arch : ARCH_NAMES) {
                for (String s : NEW_SCENARIOS) {
                    if (!s.equals("gup-fast-vs-collapse-munmap")
                            || List.of(KernelVersion.V6_5, KernelVersion.V6_15, KernelVersion.LATEST).contains(k)) {
                        out.add(safe(s, arch, k));
                    }
                }
            }
        }
        // PT_RECLAIM frees the emptied table where the release and the architecture have it: x86
        // (INVLPGB frees tables through RCU, as every x86 variant with PT_RECLAIM does) from 6.14,
        // arm64 on the latest, powerpc never.
        out.add(new Case("gup-fast-vs-dontneed", Map.of("range", "pmd"), "x86_64:invlpgb", KernelVersion.V6_15,
                List.of(), null, null));
        for (String arch : List.of("x86_64:invlpgb", "arm64", "ppc64")) {
            out.add(new Case("gup-fast-vs-dontneed", Map.of("range", "pmd"), arch, KernelVersion.LATEST, List.of(),
                    null, null));
        }
        // MADV_COLLAPSE from small pages: collapse_file() and then the PMD installed.
        for (KernelVersion k : List.of(KernelVersion.V6_5, KernelVersion.LATEST)) {
            for (String arch : ARCH_NAMES) {
                out.add(new Case("gup-fast-vs-madv-collapse", Map.of("thp", "none"), arch, k, List.of(), null, null));
            }
        }
        // The two cells that need more than compare's default cap of 10,000 schedules (the
        // scenarios' descriptions say so): paravirt's flush leaves more orders to try.
        out.add(safe("gup-fast-vs-collapse-munmap", "x86_64:paravirt", KernelVersion.LATEST));
        out.add(safe("gup-fast-vs-retract", "x86_64:paravirt", KernelVersion.V6_5));
        return out.stream();
    }

    /** The history, as patches on the current kernel. */
    static Stream<Case> history() {
        String collapse = "gup-fast-vs-collapse";
        String collapseMunmap = "gup-fast-vs-collapse-munmap";
        Patch noSync = VmPatches.NO_COLLAPSE_TABLE_SYNC;
        Patch noPmd = GupPatches.NO_PMD_RECHECK;
        List<Case> out = new ArrayList<>();
        // Before 70cbc3cc78a9 (and so before 2ba99c5e0881): GUP-fast keeps a page the collapse
        // replaces, unless the flush waited for it.
        for (String v : List.of("x86_64:invlpgb", "x86_64:paravirt", "arm64", "s390")) {
            out.add(bad(collapse, v, ViolationKind.PIN_LOST, "the kernel replaced the page", noPmd, noSync));
        }
        // (x86_64:native-rcu is the IPI flush of the current kernel; native is x86 before 6.15.)
        for (String v : List.of("x86_64:native-rcu", "ppc64", "ppc64:radix-64k+ipi", "ppc64:hash-64k")) {
            out.add(safe(collapse, v, KernelVersion.LATEST, noPmd, noSync));
        }
        // Either fix alone closes that window: the IPI round makes the collapse wait for the
        // walker before it checks the reference counts.
        for (String v : List.of("x86_64:invlpgb", "arm64", "s390")) {
            out.add(safe(collapse, v, KernelVersion.LATEST, noPmd));
            out.add(safe(collapse, v, KernelVersion.LATEST, noSync));
        }
        // Before 2ba99c5e0881: the deposited table is freed by the munmap's zap while a walker
        // the flush did not wait for still reads it. The PMD recheck comes too late for that.
        for (String v : List.of("x86_64:invlpgb", "arm64", "s390")) {
            out.add(bad(collapseMunmap, v, ViolationKind.USE_AFTER_FREE, "zap_deposited_table", noSync));
        }
        for (String v : List.of("x86_64:native-rcu", "ppc64")) {
            out.add(safe(collapseMunmap, v, KernelVersion.LATEST, noSync));
        }
        // Retraction. Before 2ba99c5e0881 the pre-6.6 retraction freed the table right after
        // pmdp_collapse_flush(): a walker the flush did not wait for reads it freed.
        String retract = "gup-fast-vs-retract";
        // (x86_64:native is x86 before 6.15, native-rcu and invlpgb from 6.15.)
        for (String v : List.of("x86_64:paravirt", "arm64", "s390")) {
            out.add(bad(retract, v, KernelVersion.V6_5, ViolationKind.USE_AFTER_FREE, "freed by pte_free", noSync));
        }
        for (String v : List.of("x86_64:native", "ppc64", "ppc64:hash-64k")) {
            out.add(safe(retract, v, KernelVersion.V6_5, noSync));
        }
        // From 6.6 no lock keeps the walker out; only the RCU grace period of pte_free_defer().
        for (String v : List.of("x86_64:invlpgb", "x86_64:paravirt", "arm64", "s390")) {
            out.add(bad(retract, v, ViolationKind.USE_AFTER_FREE, "freed by pte_free", VmPatches.RETRACT_FREE_NOW));
        }
        for (String v : List.of("x86_64:native-rcu", "ppc64", "ppc64:hash-64k")) {
            out.add(safe(retract, v, KernelVersion.LATEST, VmPatches.RETRACT_FREE_NOW));
        }
        // collapse_file() checks the reference counts after try_to_unmap() cleared the PTEs but
        // before the batched flush: only GUP-fast's PTE recheck keeps a walker that grabbed the
        // page after that check from keeping it, on every architecture.
        for (String v : List.of("x86_64:native-rcu", "x86_64:invlpgb", "arm64", "s390", "ppc64")) {
            out.add(bad(retract, v, ViolationKind.PIN_LOST, "the kernel replaced the page", GupPatches.NO_PTE_RECHECK));
        }
        // MADV_COLLAPSE's collapse_pte_mapped_thp(): the same table-freeing rules as the
        // retraction (its own table and pte_free_defer() from 6.6; collapse_and_free_pmd() before).
        String madvCollapse = "gup-fast-vs-madv-collapse";
        for (String v : List.of("x86_64:invlpgb", "x86_64:paravirt", "arm64", "s390")) {
            out.add(bad(madvCollapse, v, ViolationKind.USE_AFTER_FREE, "freed by pte_free", VmPatches.RETRACT_FREE_NOW));
        }
        for (String v : List.of("x86_64:native-rcu", "ppc64")) {
            out.add(safe(madvCollapse, v, KernelVersion.LATEST, VmPatches.RETRACT_FREE_NOW));
        }
        for (String v : List.of("x86_64:paravirt", "arm64", "s390")) {
            out.add(bad(madvCollapse, v, KernelVersion.V6_5, ViolationKind.USE_AFTER_FREE, "freed by pte_free", noSync));
        }
        for (String v : List.of("x86_64:native", "ppc64")) {
            out.add(safe(madvCollapse, v, KernelVersion.V6_5, noSync));
        }
        // collapse_pte_mapped_thp() replaces no page (the PTEs already map the huge folio), so
        // without the PTE recheck a pin is still on the right page; from small pages,
        // collapse_file() counts references before the flush, as in the retraction.
        out.add(safe(madvCollapse, "arm64", KernelVersion.LATEST, GupPatches.NO_PTE_RECHECK));
        for (String v : List.of("x86_64:native-rcu", "arm64", "ppc64")) {
            out.add(new Case(madvCollapse, Map.of("thp", "none"), v, KernelVersion.LATEST,
                    List.of(GupPatches.NO_PTE_RECHECK), ViolationKind.PIN_LOST, "the kernel replaced the page"));
        }
        // The PTEs are gone before the PMD is: the PMD recheck adds nothing to retraction.
        for (String v : List.of("x86_64:invlpgb", "arm64")) {
            out.add(safe(retract, v, KernelVersion.LATEST, noPmd));
        }
        return out.stream();
    }

    private static Exploration exploration(Case c) {
        Kernel k = c.kernel();
        return new Exploration(Scenarios.get(c.scenario()), c.params(), ARCHES.parse(c.arch(), k), k);
    }

    private static void check(Case c) {
        Exploration e = exploration(c);
        ExplorationResult r = e.explore(Strategy.dpor(), ExploreOptions.DEFAULTS.withStopOnFirstViolation(false));
        if (c.kind() == null) {
            assertEquals(Verdict.SAFE, r.verdict(), r.render());
            assertTrue(r.exhausted(), r.render());
            assertTrue(r.outcomes().keySet().stream().anyMatch(o -> o.startsWith("pinned=1")), r.render());
            return;
        }
        assertEquals(Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample cx = r.firstViolation().orElseThrow();
        assertEquals(c.kind(), cx.violation().kind(), r.render());
        assertTrue(cx.violation().message().contains(c.where()), cx.violation().message());
        assertEquals(cx.trace().render(), e.replay(cx.schedule()).render(), "the schedule replays to the trace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void everyReleaseIsSafe(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("history")
    void historicPatchesFailWhereTheKernelSaysTheyCould(Case c) {
        check(c);
    }
}
