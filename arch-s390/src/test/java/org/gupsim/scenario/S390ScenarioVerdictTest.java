package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.explore.Verdict;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.Kernel;
import org.gupsim.kernel.Patch;
import org.gupsim.pgtable.Level;
import org.gupsim.sched.Access;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.Explorations;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exhaustive explorations (partial-order reduction) on every s390 variant with the current
 * kernel. IPTE/IDTE are broadcast, so GUP-fast's IRQ-off section holds no flush up: only RCU
 * table freeing keeps its tables alive, which is why freeing them right after the flush, or
 * walking with IRQs on, is a use-after-free.
 */
class S390ScenarioVerdictTest {
    /** Every s390 variant, from the registry (without the {@code s390:} prefix), on the latest kernel that has it. */
    private static final List<String> VARIANTS = GupArbitraries.everyVariantSpec("s390").stream()
            .map(s -> s.substring("s390:".length())).toList();

    record Case(String scenario, Map<String, String> params, String variant, List<Patch> patches, Verdict verdict) {
        @Override
        public String toString() {
            return scenario + params + " s390:" + variant + " " + Worlds.latestKernelOf("s390:" + variant).label() + " "
                    + patches + " -> " + verdict;
        }
    }

    static Stream<Case> cases() {
        Stream.Builder<Case> b = Stream.builder();
        List<Patch> none = List.of();
        for (String v : VARIANTS) {
            b.add(new Case("gup-fast-vs-munmap", Map.of(), v, none, Verdict.SAFE));
            b.add(new Case("gup-fast-vs-munmap", Map.of("table-batch", "fail"), v, none, Verdict.SAFE));
            b.add(new Case("gup-fast-vs-truncate", Map.of(), v, none, Verdict.SAFE));
            b.add(new Case("gup-fast-vs-evict", Map.of(), v, none, Verdict.SAFE));
            b.add(new Case("s390-gup-fast-vs-upgrade", Map.of(), v, none, Verdict.SAFE));
            b.add(new Case("s390-gup-fast-vs-upgrade", Map.of("pages", "3"), v, none, Verdict.SAFE));
            b.add(new Case("s390-gup-fast-vs-upgrade", Map.of("backing", "memfd"), v, none, Verdict.SAFE));
            b.add(new Case("gup-fast-vs-munmap", Map.of(), v, List.of(TlbPatches.IMMEDIATE_TABLE_FREE),
                    Verdict.VIOLATION));
            b.add(new Case("gup-fast-vs-munmap", Map.of(), v, List.of(GupPatches.NO_IRQ_DISABLE), Verdict.VIOLATION));
        }
        return b.build();
    }

    static Exploration exploration(Case c) {
        Kernel k = Worlds.latestKernelOf("s390:" + c.variant());
        return new Exploration(Scenarios.get(c.scenario()), c.params(),
                ArchRegistry.load().parse("s390:" + c.variant(), k), k.with(c.patches()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(Case c) {
        Exploration e = exploration(c);
        if (c.verdict() == Verdict.SAFE) {
            ExplorationResult r = Explorations.assertSafe(e);
            assertTrue(r.outcomes().keySet().stream().allMatch(o -> o.startsWith("pinned=")), r.render());
        } else {
            Explorations.assertViolation(e, ViolationKind.USE_AFTER_FREE, "table");
        }
    }

    @Test
    void theUpgradeScenarioExploresInterleavingsAndUpgrades() {
        Exploration e = exploration(new Case("s390-gup-fast-vs-upgrade", Map.of(), "default",
                List.of(), Verdict.SAFE));
        ExplorationResult r = e.explore();
        assertTrue(r.schedules() > 1, r.render());
        String trace = e.replay("").render();
        assertTrue(trace.contains("crst_table_upgrade"), trace);
    }

    /**
     * {@code on_each_cpu(__crst_table_upgrade, mm, 0)} sends the ASCE reload as an IPI and does
     * not wait for it: with CPU0 inside GUP-fast's IRQ-off section (its first three steps end with
     * local_irq_save), CPU1 upgrades, interrupts CPU0 and finishes its mmap while the reload waits
     * on CPU0, which runs it only once its IRQs are back on.
     */
    @Test
    void theAsceReloadIpiIsSentAndNotWaitedFor() {
        for (String v : VARIANTS) {
            Trace t = exploration(new Case("s390-gup-fast-vs-upgrade", Map.of(), v, List.of(),
                    Verdict.SAFE)).replay("0x3,1x1");
            List<TraceRow> rows = t.rows();
            int irqOff = index(rows, 0, "local_irq_save", null);
            int ipi = index(rows, 1, "crst_table_upgrade", Access.IPI);
            int upWrite = index(rows, 1, "up_write", null);
            int irqOn = index(rows, 0, "local_irq_restore", null);
            int reload = index(rows, 0, "__crst_table_upgrade", null);
            String trace = t.render();
            assertTrue(ipi >= 0, "CPU1 interrupts another CPU: " + trace);
            assertEquals("CPU0", rows.get(ipi).object(), trace);
            assertTrue(irqOff >= 0 && irqOff < ipi && ipi < upWrite && upWrite < irqOn && irqOn < reload,
                    "IRQs off, IPI sent, mmap_lock dropped, IRQs on, reload: " + trace);
            assertTrue(index(rows, 1, "__crst_table_upgrade", null) >= 0, "CPU1 reloads its own: " + trace);
        }
    }

    /** The index of the first row of {@code thread} doing {@code access} (null: any) in {@code function}, or -1. */
    private static int index(List<TraceRow> rows, int thread, String function, Access access) {
        for (int i = 0; i < rows.size(); i++) {
            TraceRow r = rows.get(i);
            if (r.thread() == thread && r.function().equals(function) && (access == null || r.access() == access)) {
                return i;
            }
        }
        return -1;
    }

    /** A variant of s390 whose new mm already has all five levels: nothing to upgrade. */
    @Test
    void theUpgradeScenarioRefusesAnAddressSpaceThatCannotGrow() {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant s390 = ArchRegistry.load().parse("s390", k);
        ArchVariant fiveLevel = (ArchVariant) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ArchVariant.class}, (proxy, m, args) -> {
                    if (m.getName().equals("newMmGeometry")) {
                        return s390.newMmGeometry().withTop(Level.PGD);
                    }
                    if (m.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, m, args);
                    }
                    return m.invoke(s390, args);
                });
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new Exploration(
                Scenarios.get("s390-gup-fast-vs-upgrade"), Map.of(), fiveLevel, k));
        assertTrue(x.getMessage().contains("can grow a page-table level"), x.getMessage());
    }
}
