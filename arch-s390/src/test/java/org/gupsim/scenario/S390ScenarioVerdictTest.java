package org.gupsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.explore.ExplorationResult;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.gup.GupPatches;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Level;
import org.gupsim.sched.Access;
import org.gupsim.sched.ViolationKind;
import org.gupsim.testkit.GupArbitraries;
import org.gupsim.testkit.ScenarioVerdictSuite;
import org.gupsim.testkit.Worlds;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;

/**
 * Exhaustive explorations (partial-order reduction) on every s390 variant with the current
 * kernel. IPTE/IDTE are broadcast, so GUP-fast's IRQ-off section holds no flush up: only RCU
 * table freeing keeps its tables alive, which is why freeing them right after the flush, or
 * walking with IRQs on, is a use-after-free.
 */
class S390ScenarioVerdictTest extends ScenarioVerdictSuite {
    /** Every s390 variant, from the registry; each runs on the latest kernel that has it (fragments before 6.7). */
    private static final List<String> VARIANTS = GupArbitraries.everyVariantSpec("s390");
    private static final String UPGRADE = "s390-gup-fast-vs-upgrade";

    @Override
    protected List<Row> rows() {
        List<Row> b = new ArrayList<>();
        for (String v : VARIANTS) {
            String k = current(v);
            b.add(Row.safe("gup-fast-vs-munmap", v, k));
            b.add(Row.safe("gup-fast-vs-munmap", Map.of("table-batch", "fail"), v, k));
            b.add(Row.safe("gup-fast-vs-truncate", v, k));
            b.add(Row.safe("gup-fast-vs-evict", v, k));
            b.add(Row.safe(UPGRADE, v, k));
            b.add(Row.safe(UPGRADE, Map.of("pages", "3"), v, k));
            b.add(Row.safe(UPGRADE, Map.of("backing", "memfd"), v, k));
            b.add(Row.violation("gup-fast-vs-munmap", v, k, ViolationKind.USE_AFTER_FREE, "table",
                    TlbPatches.IMMEDIATE_TABLE_FREE));
            b.add(Row.violation("gup-fast-vs-munmap", v, k, ViolationKind.USE_AFTER_FREE, "table",
                    GupPatches.NO_IRQ_DISABLE));
        }
        return b;
    }

    /** The label of the latest kernel that has {@code variant}. */
    private static String current(String variant) {
        return Worlds.latestKernelOf(variant).label();
    }

    private static Exploration upgrade(String variant) {
        return Row.safe(UPGRADE, variant, current(variant)).exploration();
    }

    @Test
    void theUpgradeScenarioExploresInterleavingsAndUpgrades() {
        Exploration e = upgrade("s390:default");
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
            Trace t = upgrade(v).replay("0x3,1x1");
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
