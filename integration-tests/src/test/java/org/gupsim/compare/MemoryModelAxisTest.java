package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.report.JsonReport;
import org.gupsim.report.TextReport;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.AnonPatches;
import org.junit.jupiter.api.Test;

/**
 * The memory model as a comparison axis, on issue 15's barrier patch: gup-fast-vs-swapout without
 * 088b8aa537c2's barriers on arm64, under {@code sc} and under its own model ({@code arch}). The
 * variant under each model is a row of its own; they disagree, and the report explains it by the
 * memory model, naming the orderings arm64 relaxes — among them the non-returning atomic GUP-fast
 * pins with — from the models' definitions.
 */
class MemoryModelAxisTest {

    private static ComparisonReport run() {
        return Comparison.builder().scenario("gup-fast-vs-swapout").arch("arm64")
                .patches(AnonPatches.NO_ANON_EXCLUSIVE_BARRIERS).memoryModel("sc").memoryModel("arch")
                .memoryModel("arm64").build().run();
    }

    @Test
    void theBarrierPatchDisagreesWithItselfAcrossModelsAndTheModelExplainsIt() {
        ComparisonReport r = run();
        // arch and arm64 resolve to one model on arm64: one row, the first entry's
        assertEquals(2, r.cells().size());
        assertEquals(List.of("sc", "arch", "arm64"), r.memoryModels());
        CellResult sc = r.cells().get(0);
        CellResult arm = r.cells().get(1);
        assertEquals("arm64:4k-48", sc.who());
        assertEquals("arm64:4k-48 under arm64", arm.who());
        assertEquals(CellVerdict.SAFE, sc.verdict());
        assertTrue(sc.exhausted(), sc.text());
        assertEquals(CellVerdict.VIOLATION, arm.verdict());
        assertEquals(ViolationKind.PIN_LOST, arm.violation().kind());
        assertTrue(r.traces().get(0).replay().contains("--memory-model arch"), r.traces().get(0).replay());

        assertEquals(1, r.disagreements().size());
        Disagreement d = r.disagreements().get(0);
        assertEquals(List.of(Mechanism.MEMORY_MODEL), d.mechanisms());
        assertEquals(1, d.orderings().size());
        assertTrue(d.orderings().get(0).contains("a non-returning atomic (atomic_add(), set_bit())"),
                d.orderings().get(0));

        String text = new TextReport().render(r, false);
        assertTrue(text.contains(", memory models sc, arch, arm64 (2 cells)"), text);
        assertTrue(text.contains("differs in memory model: sc (arm64:4k-48) vs arm64 (arm64:4k-48 under arm64)"), text);
        assertTrue(text.contains("where arm64 lets a later load of another location pass WRITE_ONCE(), "), text);
        String json = new JsonReport().render(r, false);
        assertTrue(json.contains("\"memoryModels\""), json);
        assertTrue(json.contains("\"memoryModel\": \"arm64\""), json);
        assertTrue(json.contains("\"orderings\""), json);
    }

    @Test
    void withoutTheAxisTheReportSaysNothingOfMemoryModels() {
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-swapout").arch("arm64").build().run();
        assertFalse(r.weakMemory());
        assertFalse(new TextReport().render(r, false).contains("memory model"));
        assertFalse(new JsonReport().render(r, false).contains("memoryModel"));
    }
}
