package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gupsim.gup.KernelVersion;
import org.gupsim.memmodel.MemoryModels;
import org.gupsim.memmodel.StoreLoadCases;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.RcuTableFree;
import org.junit.jupiter.api.Test;

/**
 * The memory model as a mechanism of a comparison: one variant under two models is two cells; a
 * disagreement between them is explained by the model only on the side whose model relaxes an
 * ordering the other keeps, and names those orderings as the models define them.
 */
class MemoryModelMechanismTest {
    private static final ScenarioSpec S = ScenarioSpec.of("s", Map.of());

    private static Mechanisms under(String model) {
        return new Mechanisms(BroadcastFlush.PROMISE, RcuTableFree.PROMISE, 12, 4, List.of(), model);
    }

    private static CellResult safe(String model) {
        return new CellResult(S, "arm64", "arm64:4k-48", KernelVersion.LATEST, List.of(), under(model),
                CellVerdict.SAFE, null, true, -1, 10, 0, new TreeMap<>(Map.of("pinned=1", 10L)), null, null, "SAFE",
                0, Duration.ZERO);
    }

    private static CellResult pinLost(String model) {
        Violation v = new Violation(ViolationKind.PIN_LOST, "the pin is lost");
        return new CellResult(S, "arm64", "arm64:4k-48", KernelVersion.LATEST, List.of(), under(model),
                CellVerdict.VIOLATION, null, false, -1, 4, 0, null, new TreeMap<>(Map.of("PIN_LOST", 1L)), v,
                ViolationSummary.of(v), 1, Duration.ZERO);
    }

    private static List<String> texts(List<StoreLoadCases.Case> cases) {
        return cases.stream().map(StoreLoadCases.Case::text).toList();
    }

    @Test
    void whatEachModelRelaxesComesFromItsDefinition() {
        var sc = MemoryModels.get("sc");
        var tso = MemoryModels.get("tso");
        var arm64 = MemoryModels.get("arm64");
        var power = MemoryModels.get("power");
        // x86-TSO: a plain store waits in the buffer; anything locked, and mfence, drain it
        assertEquals(List.of("WRITE_ONCE()", "smp_store_release()", "WRITE_ONCE() then smp_wmb()",
                "WRITE_ONCE() then smp_rmb()"), texts(StoreLoadCases.reorderedOnlyBy(tso, sc)));
        // arm64 and power relax the non-returning atomic too, which x86 locks
        List<String> arm = texts(StoreLoadCases.reorderedOnlyBy(arm64, tso));
        assertTrue(arm.contains("a non-returning atomic (atomic_add(), set_bit())"), arm.toString());
        assertFalse(arm.contains("WRITE_ONCE()"), "tso relaxes that too: " + arm);
        assertTrue(texts(StoreLoadCases.reorderedOnlyBy(power, tso))
                .contains("a non-returning atomic (atomic_add(), set_bit())"));
        // nothing is weaker than sequential consistency the other way round, and smp_mb() orders everywhere
        for (var m : List.of(sc, tso, arm64, power)) {
            assertEquals(List.of(), StoreLoadCases.reorderedOnlyBy(sc, m), m.name());
            for (StoreLoadCases.Case c : StoreLoadCases.CASES) {
                if (c.text().endsWith("smp_mb()") || c.text().endsWith("smp_mb__after_atomic()")) {
                    assertTrue(StoreLoadCases.ordered(m, c), m.name() + ": " + c.text());
                }
            }
        }
    }

    @Test
    void aVariantUnderTwoModelsDisagreesWithItselfAndTheWeakerModelExplainsIt() {
        List<CellResult> cells = List.of(safe("sc"), pinLost("arm64"));
        List<Disagreement> ds = Disagreements.find(cells);
        assertEquals(1, ds.size());
        Disagreement d = ds.get(0);
        assertEquals(List.of(List.of("arm64:4k-48"), List.of("arm64:4k-48 under arm64")),
                d.groups().stream().map(Disagreement.Group::variants).toList());
        assertEquals(List.of(Mechanism.MEMORY_MODEL), d.mechanisms());
        assertEquals(1, d.orderings().size(), d.orderings().toString());
        String o = d.orderings().get(0);
        assertTrue(o.startsWith("arm64 lets a later load of another location pass WRITE_ONCE(), "), o);
        assertTrue(o.contains("a non-returning atomic (atomic_add(), set_bit())"), o);
        assertTrue(o.endsWith("; sc keeps them in order"), o);
    }

    @Test
    void aViolationOnlyUnderTheStrongerModelIsNotTheModelsDoing() {
        assertFalse(Mechanism.MEMORY_MODEL.canExplain(pinLost("sc").violation(), under("sc"), under("arm64")));
        assertTrue(Mechanism.MEMORY_MODEL.canExplain(pinLost("arm64").violation(), under("arm64"), under("sc")));
        assertFalse(Mechanism.MEMORY_MODEL.canExplain(pinLost("arm64").violation(), under("arm64"), under("arm64")));
        List<Disagreement> ds = Disagreements.find(List.of(pinLost("sc"), safe("arm64")));
        assertEquals(List.of(), ds.get(0).mechanisms());
        assertEquals(List.of(Mechanism.MEMORY_MODEL), ds.get(0).unrelated());
        assertEquals(List.of(), ds.get(0).orderings());
    }

    @Test
    void withoutAMemoryModelAxisNothingChanges() {
        CellResult c = safe("sc");
        assertEquals("arm64:4k-48", c.who());
        assertEquals("sc", new Mechanisms(BroadcastFlush.PROMISE, RcuTableFree.PROMISE, 12, 4, List.of()).memoryModel());
    }
}
