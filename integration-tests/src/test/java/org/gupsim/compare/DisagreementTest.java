package org.gupsim.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.gup.KernelVersion;
import org.gupsim.report.TextReport;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.SmpPatches;
import org.gupsim.tlb.TlbPatches;
import org.junit.jupiter.api.Test;

/**
 * Disagreement detection on a purpose-built pair: gup-fast-vs-evict under pre-4.20 split RCU
 * flavours on 6.5. Where the flush is an IPI the IRQ-off walker holds it up, so the inode cannot
 * be evicted under it (SAFE); where the flush is a broadcast nothing waits for the walker and
 * 6.5's mapping check dereferences a freed address space (ScenarioVerdictTest's verdicts). The
 * freed object is an inode, not a page table, so the variants' different table freeing is a
 * coincidence the report must not offer as a cause; on a page-table use-after-free it is not.
 */
class DisagreementTest {

    private static ComparisonReport run(String... archs) {
        Comparison.Builder b = Comparison.builder().scenario("gup-fast-vs-evict").kernel(KernelVersion.V6_5)
                .patches(SmpPatches.SPLIT_RCU_FLAVORS);
        for (String a : archs) {
            b.arch(a);
        }
        return b.build().run();
    }

    @Test
    void nativeIsSafeWhereParavirtAndArm64UseAfterFreeAndTheReportSaysWhy() {
        // 6.5 has no INVLPGB (6.15): the x86 flush that does not wait for the walker is a KVM
        // guest's paravirt one, which leaves a vCPU preempted inside GUP-fast to the host.
        ComparisonReport r = run("x86_64:native", "x86_64:paravirt", "arm64");
        assertEquals(CellVerdict.SAFE, r.cell("gup-fast-vs-evict", "x86_64:native").verdict());
        for (String v : List.of("x86_64:paravirt", "arm64:4k-48")) {
            CellResult c = r.cell("gup-fast-vs-evict", v);
            assertEquals(CellVerdict.VIOLATION, c.verdict());
            assertEquals(ViolationKind.USE_AFTER_FREE, c.violation().kind());
            assertTrue(c.violation().message().contains("address space"), c.violation().message());
            assertEquals("UAF address-space", c.summary());
        }
        assertEquals(1, r.disagreements().size());
        Disagreement d = r.disagreements().get(0);
        assertEquals("gup-fast-vs-evict", d.scenario().name());
        assertEquals(KernelVersion.V6_5, d.kernel());
        assertEquals(SmpPatches.SPLIT_RCU_FLAVORS, d.patches().iterator().next());
        assertEquals(2, d.groups().size());
        assertEquals("SAFE", d.groups().get(0).verdictClass());
        assertEquals(List.of("x86_64:native"), d.groups().get(0).variants());
        assertEquals("VIOLATION USE_AFTER_FREE address-space", d.groups().get(1).verdictClass());
        assertEquals(List.of("x86_64:paravirt", "arm64:4k-48"), d.groups().get(1).variants());
        assertEquals(List.of(1, 2), d.groups().get(1).cells());
        // native before 6.15 frees tables right after the IPI flush; the other two through RCU.
        assertEquals(org.gupsim.tlb.IpiFlush.PROMISE, r.cells().get(0).mechanisms().shootdown());
        assertEquals(org.gupsim.tlb.ImmediateTableFree.PROMISE, r.cells().get(0).mechanisms().tableFreeing());
        // Both differ between the sides, but the inode is freed by i_callback after a grace period
        // whatever frees the page tables: only the flush, which the unmapping waits for, can explain it.
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        assertEquals(List.of(), d.alsoDiffer());
        assertEquals(List.of(Mechanism.TABLE_FREEING), d.unrelated());
        String text = new TextReport().render(r, false);
        assertTrue(text.contains("differs in flush style: IPI (x86_64:native) vs PARAVIRT (x86_64:paravirt), "
                + "BROADCAST (arm64:4k-48)"), text);
        assertTrue(text.contains("differs too, but cannot explain UAF address-space, in RCU table freeing: "
                + "IMMEDIATE (x86_64:native) vs RCU (x86_64:paravirt, arm64:4k-48)"), text);
        assertFalse(text.contains("differs in RCU table freeing"), text);
    }

    @Test
    void onAPageTableUseAfterFreeThePageTablesCanMatterAndOnAnAddressSpaceOneTheyCannot() {
        // immediate-table-free on munmap: the PTE table itself is freed under the walker where the
        // flush does not wait for it. arm64's 64K granule differs from x86 in page tables too, which
        // can matter for a table (which ones exist and are freed) but not for an inode.
        ComparisonReport munmap = Comparison.builder().scenario("gup-fast-vs-munmap").kernel(KernelVersion.V6_10)
                .arch("x86_64:native").arch("arm64").arch("arm64:64k-42").patches(TlbPatches.IMMEDIATE_TABLE_FREE)
                .build().run();
        Disagreement table = munmap.disagreements().get(0);
        assertEquals("VIOLATION USE_AFTER_FREE page-table", table.groups().get(1).verdictClass());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), table.mechanisms());
        assertEquals(List.of(Mechanism.PAGE_TABLES), table.alsoDiffer());
        assertEquals(List.of(), table.unrelated());
        ComparisonReport evict = run("x86_64:native", "arm64", "arm64:64k-42");
        Disagreement inode = evict.disagreements().get(0);
        assertEquals(List.of(Mechanism.FLUSH_STYLE), inode.mechanisms());
        assertEquals(List.of(), inode.alsoDiffer());
        assertEquals(List.of(Mechanism.TABLE_FREEING, Mechanism.PAGE_TABLES), inode.unrelated());
    }

    @Test
    void aMechanismSharedAcrossTheSidesDoesNotSeparateThem() {
        // native+la57 is SAFE too, with 5-level page tables where native and the broken paravirt
        // have 4: a mechanism shared across the sides does not separate them; only the flush
        // style can explain the freed inode.
        ComparisonReport r = run("x86_64:native", "x86_64:native+la57", "x86_64:paravirt");
        Disagreement d = r.disagreements().get(0);
        assertEquals(List.of("x86_64:native", "x86_64:native+la57"), d.groups().get(0).variants());
        assertEquals(List.of(Mechanism.FLUSH_STYLE), d.mechanisms());
        String text = new TextReport().render(r, false);
        assertTrue(text.contains("differs in flush style: IPI (x86_64:native, x86_64:native+la57) vs PARAVIRT "
                + "(x86_64:paravirt)"), text);
    }

    @Test
    void variantsThatAgreeMakeNoDisagreement() {
        ComparisonReport r = run("x86_64:native", "x86_64:native+la57");
        assertEquals(List.of(), r.disagreements());
    }
}
