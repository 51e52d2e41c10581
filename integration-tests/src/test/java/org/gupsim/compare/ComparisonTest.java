package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.ExploreOptions;
import org.gupsim.explore.Strategy;
import org.gupsim.gup.KernelVersion;
import org.gupsim.report.HtmlReport;
import org.gupsim.report.JsonReport;
import org.gupsim.report.MarkdownReport;
import org.gupsim.report.ReportTable;
import org.gupsim.report.TextReport;
import org.gupsim.scenario.Exploration;
import org.gupsim.scenario.Scenarios;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.SmpPatches;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The comparison engine on the real architectures: the default matrix has the verdicts the
 * per-architecture verdict tests established, cells agree with a direct exploration, and reports
 * do not depend on the number of threads.
 */
class ComparisonTest {
    /** The scenarios whose verdicts on the latest kernel the architecture modules' verdict tests fix. */
    private static final List<String> KNOWN = List.of("gup-fast-vs-munmap", "gup-fast-vs-truncate",
            "gup-fast-vs-evict");
    private static final String UPGRADE = "s390-gup-fast-vs-upgrade";
    private static final String AIF_ENABLE = "kvm-s390-aif-enable";
    private static final String AIF_VS_UNPLUG = "kvm-s390-aif-vs-unplug";

    private static ComparisonReport defaults;

    @BeforeAll
    static void runDefaults() {
        defaults = Comparison.builder().build().run();
    }

    @Test
    void theDefaultMatrixIsEveryScenarioOnEveryDefaultVariantPlusX86InvlpgbOnTheLatestKernel() {
        assertEquals(Scenarios.names(), defaults.scenarios().stream().map(ScenarioSpec::name).toList());
        // x86_64:native (tables freed right after the flush) is x86 before 6.15: not on the latest.
        assertEquals(List.of("arm64", "ppc64", "s390", "x86_64", "x86_64:invlpgb"), defaults.archs());
        assertEquals(List.of("arm64", "ppc64", "s390", "x86_64", "x86_64:native", "x86_64:invlpgb"),
                Comparison.defaultArchs(ArchRegistry.load(), List.of(KernelVersion.V6_10, KernelVersion.LATEST)));
        assertEquals(List.of(KernelVersion.LATEST), defaults.kernels());
        assertEquals(List.of(List.of()), defaults.patchSets());
        assertEquals(Scenarios.all().size() * 5, defaults.cells().size());
        assertEquals(List.of("arm64:4k-48", "ppc64:radix-64k", "s390:default", "x86_64:native-rcu",
                "x86_64:invlpgb"), defaults.cells().stream().map(CellResult::variant).distinct().toList());
        assertEquals(new Search("exhaustive", null, null, -1, Comparison.DEFAULT_BUDGET_SECONDS,
                Comparison.DEFAULT_BUDGET_SECONDS * Comparison.SCHEDULES_PER_SECOND), defaults.search());
    }

    @Test
    void theDefaultMatrixHasTheVerdictsTheArchitectureTestsEstablished() {
        for (String s : KNOWN) {
            for (CellResult c : defaults.cells().stream().filter(c -> c.scenario().name().equals(s)).toList()) {
                assertEquals(CellVerdict.SAFE, c.verdict(), c.toString());
                assertTrue(c.exhausted(), c.toString());
                assertTrue(c.outcomes().keySet().stream().anyMatch(o -> o.startsWith("pinned=")), c.toString());
                assertEquals("SAFE (" + c.schedules() + ", all)", c.text());
            }
        }
        // The upgrade scenario runs where a new mm can grow a level at run time: s390 alone here.
        for (CellResult c : defaults.cells().stream().filter(c -> c.scenario().name().equals(UPGRADE)).toList()) {
            if (c.variant().equals("s390:default")) {
                assertEquals(CellVerdict.SAFE, c.verdict());
                assertTrue(c.exhausted());
            } else {
                assertEquals(CellVerdict.NOT_APPLICABLE, c.verdict(), c.toString());
                assertTrue(c.reason().contains("grow a page-table level"), c.reason());
                assertEquals("N/A", c.text());
                assertEquals(0, c.schedules());
            }
        }
        // The KVM s390 scenarios run on s390 only (KvmS390ScenarioTest): with their defaults (memfd
        // guest memory, shared) AIF enable pins both pages and charges them, and with the assist on the
        // firmware delivers the device's alerts through the GISA; racing it against
        // memslot deletion and munmap is safe exhaustively, and the pin may come too late (EIO).
        for (String kvm : List.of(AIF_ENABLE, AIF_VS_UNPLUG)) {
            for (CellResult c : defaults.cells().stream().filter(c -> c.scenario().name().equals(kvm)).toList()) {
                if (c.variant().equals("s390:default")) {
                    assertEquals(CellVerdict.SAFE, c.verdict(), c.toString());
                    assertTrue(c.exhausted(), c.toString());
                } else {
                    assertEquals(CellVerdict.NOT_APPLICABLE, c.verdict(), c.toString());
                    assertTrue(c.reason().contains("runs on s390 only"), c.reason());
                }
            }
        }
        assertEquals(Map.of("aif=0 alerts=gisa irq=gisa locked_vm=2 pinned_vm=2; disable=0; vfio=pinned", 1L),
                defaults.cell(AIF_ENABLE, "s390").outcomes());
        assertTrue(defaults.cell(AIF_VS_UNPLUG, "s390").outcomes().keySet().stream()
                .anyMatch(o -> o.startsWith("aif=EIO at aibv-pin")), defaults.cell(AIF_VS_UNPLUG, "s390").toString());
        assertTrue(defaults.cell(AIF_VS_UNPLUG, "s390").outcomes().keySet().stream()
                .anyMatch(o -> o.startsWith("aif=0 ")), defaults.cell(AIF_VS_UNPLUG, "s390").toString());
        // N/A is not a disagreement.
        assertEquals(List.of(), defaults.disagreements());
        assertEquals(List.of(), defaults.traces());
    }

    @Test
    void everyCellIsWhatADirectExplorationSays() {
        ArchRegistry registry = ArchRegistry.load();
        ExploreOptions options = ExploreOptions.DEFAULTS.withMaxSchedules(defaults.search().scheduleCap());
        for (CellResult c : defaults.cells()) {
            if (c.verdict() == CellVerdict.NOT_APPLICABLE) {
                continue;
            }
            ExplorationResult r = new Exploration(Scenarios.get(c.scenario().name()), c.scenario().params(),
                    registry.parse(c.variant(), c.kernel()), c.kernel().with(c.patches())).explore(Strategy.dpor(), options);
            assertEquals(CellVerdict.of(r.verdict()), c.verdict(), c.toString());
            assertEquals(r.exhausted(), c.exhausted());
            assertEquals(r.schedules(), c.schedules());
            assertEquals(r.pruned(), c.pruned());
            assertEquals(r.outcomes(), c.outcomes());
            assertEquals(r.violations(), c.violations());
        }
    }

    private static Comparison.Builder mixed() {
        return Comparison.builder().scenario("gup-fast-vs-munmap").scenario("gup-fast-vs-evict")
                .scenario("gup-fast-vs-munmap", Map.of("table-batch", "fail"))
                .arch("x86_64:native").arch("x86_64:invlpgb").arch("arm64").arch("s390")
                .kernel(KernelVersion.V6_5).kernel(KernelVersion.LATEST)
                .patches().patches(SmpPatches.SPLIT_RCU_FLAVORS).patches(TlbPatches.IMMEDIATE_TABLE_FREE);
    }

    @Test
    void theDefaultMatrixGivesTheSameJsonAcrossRunsAndThreadCounts() {
        ComparisonReport one = Comparison.builder().threads(1).build().run();
        ComparisonReport again = Comparison.builder().threads(2).build().run();
        assertEquals(defaults, one);
        assertEquals(one, again);
        String json = new JsonReport().render(defaults, false);
        assertEquals(json, new JsonReport().render(one, false));
        assertEquals(json, new JsonReport().render(again, false));
        assertEquals(new HtmlReport().render(one, false), new HtmlReport().render(again, false));
    }

    @Test
    void jsonIsByteIdenticalAcrossRunsAndThreadCountsWithViolations() {
        ComparisonReport one = mixed().threads(1).build().run();
        ComparisonReport two = mixed().threads(2).build().run();
        ComparisonReport again = mixed().threads(2).build().run();
        assertFalse(one.traces().isEmpty(), "the matrix must have violations to make the test worth its name");
        assertEquals(one, two);
        assertEquals(two, again);
        assertEquals(new JsonReport().render(one, false), new JsonReport().render(two, false));
        assertEquals(new JsonReport().render(two, false), new JsonReport().render(again, false));
        assertEquals(new MarkdownReport().render(one, false), new MarkdownReport().render(two, false));
        assertEquals(new TextReport().render(one, false), new TextReport().render(two, false));
        assertFalse(new JsonReport().render(one, false).contains("wallMillis"));
        assertTrue(new JsonReport().render(one, true).contains("\"wallMillis\""));
    }

    @Test
    void tracesAreNumberedInCellOrderAndReplay() {
        ComparisonReport r = mixed().build().run();
        ArchRegistry registry = ArchRegistry.load();
        int expected = 1;
        for (int i = 0; i < r.cells().size(); i++) {
            CellResult c = r.cells().get(i);
            if (c.violation() == null) {
                assertEquals(0, c.trace(), c.toString());
                continue;
            }
            assertEquals(expected, c.trace());
            NumberedTrace t = r.trace(expected);
            assertEquals(i, t.cell());
            assertEquals(c.violation(), t.violation());
            assertEquals(t.violation(), t.trace().violation());
            Exploration e = new Exploration(Scenarios.get(c.scenario().name()), c.scenario().params(),
                    registry.parse(c.variant(), c.kernel()), c.kernel().with(c.patches()));
            assertEquals(t.trace().render(), e.replay(t.schedule()).render());
            assertTrue(t.replay().startsWith("./gupsim replay " + c.scenario().name() + " --schedule "), t.replay());
            assertTrue(t.replay().contains("--arch " + c.variant() + " --kernel " + c.kernel().label()), t.replay());
            expected++;
        }
        assertEquals(r.traces().size(), expected - 1);
    }

    @Test
    void immediateTableFreeBreaksMunmapWhereTheFlushDoesNotWaitForTheWalker() {
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-munmap").arch("x86_64:native-rcu")
                .arch("x86_64:invlpgb").patches(TlbPatches.IMMEDIATE_TABLE_FREE).build().run();
        assertEquals(CellVerdict.SAFE, r.cell("gup-fast-vs-munmap", "x86_64:native-rcu").verdict());
        CellResult bad = r.cell("gup-fast-vs-munmap", "x86_64:invlpgb");
        assertEquals(CellVerdict.VIOLATION, bad.verdict());
        assertEquals(ViolationKind.USE_AFTER_FREE, bad.violation().kind());
        assertEquals("UAF page-table", bad.summary());
        assertEquals("UAF page-table (trace #1)", bad.text());
        // The mutant frees tables immediately on both, so only the flush style tells them apart.
        assertEquals(org.gupsim.tlb.ImmediateTableFree.PROMISE, bad.mechanisms().tableFreeing());
        Disagreement d = r.disagreements().get(0);
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        assertEquals(List.of(), d.alsoDiffer());
    }

    @Test
    void aSmallCapLeavesCellsNotExhaustedAndSaysSo() {
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-evict").arch("x86_64:native-rcu")
                .scheduleCap(5).build().run();
        CellResult c = r.cell("gup-fast-vs-evict", "x86_64:native-rcu");
        assertEquals(5, r.search().scheduleCap());
        assertEquals(0, r.search().budgetSeconds());
        assertEquals(5, c.schedules());
        assertFalse(c.exhausted());
        assertEquals("SAFE (5, partial)", c.text());
    }

    @Test
    void twoSpecsOfOneVariantGiveOneRow() {
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-munmap").arch("x86_64")
                .arch("x86_64:native-rcu").build().run();
        assertEquals(1, r.cells().size());
        assertEquals("x86_64", r.cells().get(0).arch());
        assertEquals("x86_64:native-rcu", r.cells().get(0).variant());
    }

    @Test
    void repeatedAxisEntriesGiveOneColumnRowOrTableEach() {
        // pages=1 and table-batch=ok are gup-fast-vs-munmap's defaults: the same entry spelt twice.
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-munmap")
                .scenario("gup-fast-vs-munmap", Map.of("pages", "1", "table-batch", "ok"))
                .scenario("gup-fast-vs-munmap", Map.of("table-batch", "fail"))
                .arch("arm64").arch("arm64").kernel("6.5").kernel("6.5").patches().patches()
                .build().run();
        assertEquals(List.of("gup-fast-vs-munmap", "gup-fast-vs-munmap[table-batch=fail]"),
                r.scenarios().stream().map(ReportTable::label).toList());
        assertEquals(List.of("arm64"), r.archs());
        assertEquals(List.of(KernelVersion.V6_5), r.kernels());
        assertEquals(List.of(List.of()), r.patchSets());
        assertEquals(2, r.cells().size());
        ReportTable t = ReportTable.of(r).get(0);
        assertEquals(List.of(List.of(0, 1)), t.cells(), "every cell in its own column, none empty");
        String html = new HtmlReport().render(r, false);
        assertTrue(html.contains("id=\"" + HtmlReport.cellId(0) + "\""), html);
        assertTrue(html.contains("id=\"" + HtmlReport.cellId(1) + "\""), html);
    }

    @Test
    void aPreemptionBoundIsInTheReportAndInEveryCellItLimits() {
        // Unbounded, the search finds invlpgb's use-after-free of the PTE table under
        // immediate-table-free (above); with no preemption at all it cannot, and the cell must
        // not read as if every interleaving had been tried.
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-munmap").arch("x86_64:invlpgb")
                .patches(TlbPatches.IMMEDIATE_TABLE_FREE).preemptionBound(0).build().run();
        CellResult c = r.cell("gup-fast-vs-munmap", "x86_64:invlpgb");
        assertEquals(CellVerdict.SAFE, c.verdict());
        assertTrue(c.exhausted());
        assertEquals(0, c.preemptionBound());
        assertEquals("SAFE (" + c.schedules() + ", all \u22640 preemptions)", c.text());
        assertEquals(0, r.search().preemptionBound());
        assertEquals("exhaustive", r.search().strategy());
        String text = new TextReport().render(r, false);
        assertTrue(text.lines().findFirst().orElseThrow().contains("strategy exhaustive with at most 0 preemptions "
                + "per schedule (no partial-order reduction)"), text);
        assertTrue(text.contains("all \u22640 preemptions = every schedule with at most 0 preemptions, not every "
                + "interleaving"), text);
        assertFalse(text.contains("every interleaving up to equivalence"), text);
        assertTrue(new JsonReport().render(r, false).contains("\"preemptionBound\": 0"));
        assertThrows(IllegalArgumentException.class,
                () -> Comparison.builder().strategy(Strategy.random(1, 10)).preemptionBound(0).build());
    }

    @Test
    void theStrategyIsNamedAsTheCommandLineNamesIt() {
        assertEquals(new Search("random", 7L, null, -1, 0, 40), Comparison.builder().scenario("gup-fast-vs-munmap")
                .arch("arm64").strategy(Strategy.random(7, 99)).scheduleCap(40).build().run().search());
        ComparisonReport pct = Comparison.builder().scenario("gup-fast-vs-munmap").arch("arm64")
                .strategy(Strategy.pct(3, 2, 5)).budgetSeconds(1).build().run();
        assertEquals(new Search("pct", 3L, 2, -1, 1, 1000), pct.search());
        // A sampling strategy runs the comparison's cap, not the count it was built with.
        assertEquals(1000, pct.cells().get(0).schedules());
        assertEquals("SAFE (1000, partial)", pct.cells().get(0).text());
        assertTrue(pct.search().legend().contains("partial = sampled by pct"), pct.search().legend());
    }

    @Test
    void theExtraDefaultVariantsComeFromTheArchitecturesThemselves() {
        ArchRegistry registry = ArchRegistry.load();
        assertEquals(List.of("native", "invlpgb"), registry.get("x86_64").defaultComparisonVariants());
        for (String other : List.of("arm64", "ppc64", "s390")) {
            assertEquals(List.of(), registry.get(other).defaultComparisonVariants(), other);
        }
    }

    @Test
    void wallTimeIsNotPartOfEquality() {
        CellResult c = defaults.cells().get(0);
        CellResult slower = new CellResult(c.scenario(), c.arch(), c.variant(), c.kernel(), c.patches(),
                c.mechanisms(), c.verdict(), c.reason(), c.exhausted(), c.preemptionBound(), c.schedules(), c.pruned(),
                c.outcomes(), c.violations(), c.violation(), c.summary(), c.trace(), c.wallTime().plusSeconds(5));
        assertEquals(c, slower);
        assertEquals(c.hashCode(), slower.hashCode());
        assertNotEquals(c, c.withTrace(7));
        assertNull(c.violation());
    }
}
