package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.report.HtmlReport;
import org.gupsim.report.JsonReport;
import org.gupsim.report.MarkdownReport;
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

    /** Markdown: the header names the models, each model's row is its own, the mechanism line and the orderings. */
    @Test
    void theMarkdownReportCarriesTheAxis() {
        String md = new MarkdownReport().render(run(), false);
        assertTrue(md.contains(", memory models sc, arch, arm64 (2 cells)"), md);
        assertTrue(md.contains("| `arm64:4k-48` | SAFE ("), md);
        assertTrue(md.contains("| `arm64:4k-48 under arm64` | **pin lost"), md);
        assertTrue(md.contains("differs in memory model: sc (arm64:4k-48) vs arm64 (arm64:4k-48 under arm64)"), md);
        assertTrue(md.contains("where arm64 lets a later load of another location pass WRITE\\_ONCE(), "), md);
        assertTrue(md.contains("a non-returning atomic (atomic\\_add(), set\\_bit())"), md);
        assertTrue(md.contains("--memory-model arch"), md);
    }

    /**
     * HTML: the header, a row per variant and model, the disagreement's lines with the orderings, and
     * a memory-model column in its mechanism table.
     */
    @Test
    void theHtmlReportCarriesTheAxis() {
        String html = new HtmlReport().render(run(), false);
        assertTrue(html.contains(", memory models sc, arch, arm64 (2 cells)"), html);
        assertTrue(html.contains(">arm64:4k-48 under arm64</a></td>"), html);
        assertTrue(html.contains("<li>differs in memory model: sc (arm64:4k-48) vs arm64 (arm64:4k-48 under arm64)</li>"),
                html);
        assertTrue(html.contains("<li>where arm64 lets a later load of another location pass WRITE_ONCE(), "), html);
        assertTrue(html.contains("<th>memory model</th>"), html);
        assertTrue(html.contains("--memory-model arch"), html);
    }

    @Test
    void withoutTheAxisTheReportSaysNothingOfMemoryModels() {
        ComparisonReport r = Comparison.builder().scenario("gup-fast-vs-swapout").arch("arm64").build().run();
        assertFalse(r.weakMemory());
        assertFalse(new TextReport().render(r, false).contains("memory model"));
        assertFalse(new JsonReport().render(r, false).contains("memoryModel"));
        String md = new MarkdownReport().render(r, false);
        assertFalse(md.contains("memory model") || md.contains(" under "), md);
        String html = new HtmlReport().render(r, false);
        assertFalse(html.contains("memory model") || html.contains(" under sc"), html);
    }
}
