package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.gup.KernelVersion;
import org.gupsim.sched.Mutant;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.tlb.FlushBackend.Style;
import org.gupsim.tlb.TableFreePolicy.Kind;
import org.junit.jupiter.api.Test;

/** Disagreement detection and cell texts on hand-made cells (core cannot see the architectures). */
class DisagreementsTest {
    private static final ScenarioSpec S = ScenarioSpec.of("s", Map.of("p", "1"));
    private static final Mechanisms IPI = new Mechanisms(Style.IPI, Kind.IMMEDIATE, 12, 4, List.of());
    private static final Mechanisms IPI_RCU = new Mechanisms(Style.IPI, Kind.RCU, 12, 4, List.of());
    private static final Mechanisms BCAST = new Mechanisms(Style.BROADCAST, Kind.RCU, 12, 4, List.of());
    private static final Mechanisms BCAST_64K = new Mechanisms(Style.BROADCAST, Kind.RCU, 16, 3, List.of("lpa2"));

    private static CellResult safe(ScenarioSpec s, String variant, Mechanisms m) {
        return new CellResult(s, variant, variant, KernelVersion.LATEST, Mutant.none(), m, CellVerdict.SAFE, null,
                true, 10, 0, new TreeMap<>(Map.of("pinned=1", 10L)), null, null, "SAFE", 0, Duration.ZERO);
    }

    private static CellResult uaf(String variant, Mechanisms m) {
        Violation v = Violation.useAfterFree("page-table", "x touched entry 3 of pte table, freed by y");
        return new CellResult(S, variant, variant, KernelVersion.LATEST, Mutant.none(), m, CellVerdict.VIOLATION, null,
                false, 4, 0, null, new TreeMap<>(Map.of("USE_AFTER_FREE", 1L)), v, ViolationSummary.of(v), 1,
                Duration.ZERO);
    }

    private static CellResult na(String variant, Mechanisms m) {
        return new CellResult(S, variant, variant, KernelVersion.LATEST, Mutant.none(), m, CellVerdict.NOT_APPLICABLE,
                "refused", false, 0, 0, null, null, null, "N/A", 0, Duration.ZERO);
    }

    @Test
    void mechanismsThatSeparateTheGroupsAreNamedApartFromThoseThatMerelyDiffer() {
        List<CellResult> cells = List.of(safe(S, "a", IPI), safe(S, "b", IPI_RCU), uaf("c", BCAST), uaf("d", BCAST_64K));
        List<Disagreement> ds = Disagreements.find(cells);
        assertEquals(1, ds.size());
        Disagreement d = ds.get(0);
        assertEquals(List.of("SAFE", "VIOLATION USE_AFTER_FREE"),
                d.groups().stream().map(Disagreement.Group::verdictClass).toList());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), d.groups().stream().map(Disagreement.Group::cells).toList());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        assertEquals(List.of(Mechanism.TABLE_FREEING, Mechanism.PAGE_TABLES, Mechanism.OPTIONS), d.alsoDiffer());
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
                CellVerdict.NOT_APPLICABLE, null, false, 0, 0, null, null, null, "N/A", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new CellResult(S, "a", "a", KernelVersion.LATEST, null, IPI,
                CellVerdict.SAFE, "why", false, 0, 0, null, null, null, "SAFE", 0, null));
    }
}
