package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.RcuTableFree;
import org.junit.jupiter.api.Test;

/** Disagreement detection and cell texts on hand-made cells (core cannot see the architectures). */
class DisagreementsTest {
    private static final ScenarioSpec S = ScenarioSpec.of("s", Map.of("p", "1"));
    private static final Mechanisms IPI = new Mechanisms(IpiFlush.PROMISE, ImmediateTableFree.PROMISE, 12, 4, List.of());
    private static final Mechanisms IPI_RCU = new Mechanisms(IpiFlush.PROMISE, RcuTableFree.PROMISE, 12, 4, List.of());
    private static final Mechanisms BCAST = new Mechanisms(BroadcastFlush.PROMISE, RcuTableFree.PROMISE, 12, 4, List.of());
    private static final Mechanisms BCAST_64K = new Mechanisms(BroadcastFlush.PROMISE, RcuTableFree.PROMISE, 16, 3, List.of("lpa2"));

    private static CellResult safe(ScenarioSpec s, String variant, Mechanisms m) {
        return new CellResult(s, variant, variant, KernelVersion.LATEST, List.of(), m, CellVerdict.SAFE, null,
                true, -1, 10, 0, new TreeMap<>(Map.of("pinned=1", 10L)), null, null, "SAFE", 0, Duration.ZERO);
    }

    private static CellResult uaf(String variant, Mechanisms m) {
        return uaf(variant, m, Violation.PAGE_TABLE);
    }

    private static CellResult uaf(String variant, Mechanisms m, String subject) {
        Violation v = Violation.useAfterFree(subject, "x touched " + subject + " 3, freed by y");
        return new CellResult(S, variant, variant, KernelVersion.LATEST, List.of(), m, CellVerdict.VIOLATION, null,
                false, -1, 4, 0, null, new TreeMap<>(Map.of("USE_AFTER_FREE", 1L)), v, ViolationSummary.of(v), 1,
                Duration.ZERO);
    }

    private static CellResult na(String variant, Mechanisms m) {
        return new CellResult(S, variant, variant, KernelVersion.LATEST, List.of(), m, CellVerdict.NOT_APPLICABLE,
                "refused", false, -1, 0, 0, null, null, null, "N/A", 0, Duration.ZERO);
    }

    @Test
    void mechanismsThatSeparateTheGroupsAreNamedApartFromThoseThatMerelyDiffer() {
        List<CellResult> cells = List.of(safe(S, "a", IPI), safe(S, "b", IPI_RCU), uaf("c", BCAST), uaf("d", BCAST_64K));
        List<Disagreement> ds = Disagreements.find(cells);
        assertEquals(1, ds.size());
        Disagreement d = ds.get(0);
        assertEquals(List.of("SAFE", "VIOLATION USE_AFTER_FREE page-table"),
                d.groups().stream().map(Disagreement.Group::verdictClass).toList());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), d.groups().stream().map(Disagreement.Group::cells).toList());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        assertEquals(List.of(Mechanism.TABLE_FREEING, Mechanism.PAGE_TABLES, Mechanism.OPTIONS), d.alsoDiffer());
        assertEquals(List.of(), d.unrelated());
    }

    @Test
    void aUseAfterFreeOfAnotherObjectThanAPageTableIsNotExplainedByTableFreeing() {
        // The same variants as above, but what was freed under the walker is an address space
        // (an inode, freed by i_callback after a grace period): when page tables are freed does
        // not change when an inode is, and neither does the page size.
        List<CellResult> cells = List.of(safe(S, "a", IPI), safe(S, "b", IPI_RCU),
                uaf("c", BCAST, Violation.ADDRESS_SPACE), uaf("d", BCAST_64K, Violation.ADDRESS_SPACE));
        Disagreement d = Disagreements.find(cells).get(0);
        assertEquals("VIOLATION USE_AFTER_FREE address-space", d.groups().get(1).verdictClass());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        assertEquals(List.of(Mechanism.OPTIONS), d.alsoDiffer());
        assertEquals(List.of(Mechanism.TABLE_FREEING, Mechanism.PAGE_TABLES), d.unrelated());
    }

    @Test
    void tableFreeingExplainsAnotherObjectOnlyWhereTheSafeSideFreesTablesThroughRcu() {
        // With MMU_GATHER_RCU_TABLE_FREE the kernel's tlb_remove_table_sync_one() IPI waits for
        // IRQ-off walkers and holds up frees after it: a variant freeing tables through RCU can be
        // safe for a folio where one freeing them at once is not, never the other way round.
        Mechanisms bcastImmediate = new Mechanisms(BroadcastFlush.PROMISE, ImmediateTableFree.PROMISE, 12, 4, List.of());
        Disagreement rcuSafe = Disagreements.find(List.of(safe(S, "r", BCAST),
                uaf("i", bcastImmediate, Violation.FOLIO))).get(0);
        assertEquals(List.of(Mechanism.TABLE_FREEING), rcuSafe.mechanisms());
        Disagreement immediateSafe = Disagreements.find(List.of(safe(S, "i", bcastImmediate),
                uaf("r", BCAST, Violation.FOLIO))).get(0);
        assertEquals(List.of(), immediateSafe.mechanisms());
        assertEquals(List.of(Mechanism.TABLE_FREEING), immediateSafe.unrelated());
        // The sync IPI invalidates nothing, so it never explains a stale TLB entry.
        assertEquals(List.of(Mechanism.TABLE_FREEING), Disagreements.find(List.of(safe(S, "r", BCAST),
                uaf("i", bcastImmediate, Violation.STALE_TLB))).get(0).unrelated());
    }

    @Test
    void whatEachMechanismCanExplain() {
        Violation table = Violation.useAfterFree(Violation.PAGE_TABLE, "t");
        Violation mapping = Violation.useAfterFree(Violation.ADDRESS_SPACE, "m");
        Violation stale = Violation.useAfterFree(Violation.STALE_TLB, "s");
        Violation deadlock = new Violation(ViolationKind.DEADLOCK, "no CPU can make progress");
        for (Mechanism m : Mechanism.values()) {
            if (m == Mechanism.MEMORY_MODEL) {
                // the same model on both sides explains nothing (MemoryModelMechanismTest)
                assertFalse(m.canExplain(table, BCAST, IPI), m + " and a page table");
                continue;
            }
            assertTrue(m.canExplain(table, BCAST, IPI), m + " and a page table");
            assertTrue(m.canExplain(deadlock, BCAST, IPI), m + " and a violation without a subject");
        }
        assertTrue(Mechanism.FLUSH_STYLE.canExplain(mapping, BCAST, IPI));
        assertFalse(Mechanism.TABLE_FREEING.canExplain(mapping, BCAST, IPI));
        assertTrue(Mechanism.TABLE_FREEING.canExplain(mapping, IPI, IPI_RCU));
        assertFalse(Mechanism.PAGE_TABLES.canExplain(mapping, BCAST_64K, BCAST));
        assertTrue(Mechanism.PAGE_TABLES.canExplain(stale, BCAST_64K, BCAST));
        assertFalse(Mechanism.TABLE_FREEING.canExplain(stale, IPI, IPI_RCU));
        assertTrue(Mechanism.OPTIONS.canExplain(mapping, BCAST_64K, BCAST));
        // A read past the walker's stack copy is the folding of the page tables, nothing else.
        Violation stack = new Violation(ViolationKind.BUG_ON, "stray read", Violation.STACK);
        assertTrue(Mechanism.PAGE_TABLES.canExplain(stack, BCAST_64K, BCAST));
        assertTrue(Mechanism.OPTIONS.canExplain(stack, BCAST_64K, BCAST));
        assertFalse(Mechanism.FLUSH_STYLE.canExplain(stack, BCAST, IPI));
        assertFalse(Mechanism.TABLE_FREEING.canExplain(stack, IPI, IPI_RCU));
    }

    @Test
    void notApplicableCellsAndOtherScenariosTakeNoPart() {
        ScenarioSpec other = ScenarioSpec.of("s", Map.of("p", "2"));
        List<CellResult> cells = List.of(safe(S, "a", IPI), na("c", BCAST), safe(other, "a", IPI), uaf("c", BCAST));
        List<Disagreement> ds = Disagreements.find(cells);
        assertEquals(1, ds.size());
        assertEquals(S, ds.get(0).scenario());
        assertEquals(List.of(List.of(0), List.of(3)), ds.get(0).groups().stream().map(Disagreement.Group::cells).toList());
        assertEquals(List.of(), Disagreements.find(List.of(safe(S, "a", IPI), na("c", BCAST))));
    }

    @Test
    void cellTextsAreVerdictCountsOrTraceReferences() {
        assertEquals("SAFE (10, all)", safe(S, "a", IPI).text());
        CellResult c = safe(S, "a", IPI);
        CellResult bounded = new CellResult(S, "a", "a", KernelVersion.LATEST, List.of(), IPI, CellVerdict.SAFE,
                null, true, 0, 2, 0, c.outcomes(), null, null, "SAFE", 0, Duration.ZERO);
        assertEquals("SAFE (2, all \u22640 preemptions)", bounded.text());
        assertNotEquals(c, bounded);
        assertEquals("UAF page-table (trace #1)", uaf("c", BCAST).text());
        assertEquals("N/A", na("c", BCAST).text());
        assertEquals("s[p=1]", S.label(Map.of("p", "0")));
        assertEquals("s", S.label(Map.of("p", "1")));
        assertEquals("4K, 4 levels", IPI.value(Mechanism.PAGE_TABLES));
        assertEquals("64K, 3 levels", BCAST_64K.value(Mechanism.PAGE_TABLES));
        assertEquals("+lpa2", BCAST_64K.value(Mechanism.OPTIONS));
    }

    @Test
    void aReasonGoesWithNotApplicableOnly() {
        assertThrows(IllegalArgumentException.class, () -> new CellResult(S, "a", "a", KernelVersion.LATEST, null, IPI,
                CellVerdict.NOT_APPLICABLE, null, false, -1, 0, 0, null, null, null, "N/A", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new CellResult(S, "a", "a", KernelVersion.LATEST, null, IPI,
                CellVerdict.SAFE, "why", false, -1, 0, 0, null, null, null, "SAFE", 0, null));
    }

    /**
     * A user's backend is judged by what it promises: a targeted flush that waits for nobody (like
     * Intel RAR) against a broadcast differs only in which CPUs it reaches, so it cannot be why a
     * table was used after free, but it can be why a stale TLB entry survived; against an IPI it
     * differs in waiting, which explains the use-after-free.
     */
    @Test
    void aUserBackendIsNamedAsACauseFromItsPromisedFacts() {
        Mechanisms rar = new Mechanisms(org.gupsim.tlb.ShootdownPromise.noWait("RAR",
                org.gupsim.tlb.ShootdownPromise.Reach.MM_CPUMASK), RcuTableFree.PROMISE, 12, 4, List.of());
        Disagreement vsBroadcast = Disagreements.find(List.of(safe(S, "b", BCAST), uaf("r", rar))).get(0);
        assertEquals(List.of(), vsBroadcast.mechanisms());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), vsBroadcast.unrelated());
        Disagreement stale = Disagreements.find(List.of(safe(S, "b", BCAST),
                uaf("r", rar, Violation.STALE_TLB))).get(0);
        assertEquals(List.of(Mechanism.FLUSH_STYLE), stale.mechanisms());
        Disagreement vsIpi = Disagreements.find(List.of(safe(S, "i", IPI_RCU), uaf("r", rar))).get(0);
        assertEquals(List.of(Mechanism.FLUSH_STYLE), vsIpi.mechanisms());
        assertEquals("RAR", rar.value(Mechanism.FLUSH_STYLE));
        // Another name for the same promise differs, but explains nothing.
        Mechanisms renamed = new Mechanisms(org.gupsim.tlb.ShootdownPromise.noWait("MY-BCAST",
                org.gupsim.tlb.ShootdownPromise.Reach.ALL_CPUS), RcuTableFree.PROMISE, 12, 4, List.of());
        Disagreement byName = Disagreements.find(List.of(safe(S, "b", BCAST),
                uaf("m", renamed, Violation.STALE_TLB))).get(0);
        assertEquals(List.of(Mechanism.FLUSH_STYLE), byName.unrelated());
    }
}
