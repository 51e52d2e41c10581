package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.kernel.Patch;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Sched;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GUP-fast over levels arm64 folds at run time (52-bit 4K and 16K builds on a CPU without LPA2),
 * in direct mode: the bug is not a race, one call shows it.
 *
 * <p>Kernel history (36639013b346, spec §6c): from 6.9 a 16K build of 4 levels folds its PUD at
 * run time; the generic {@code p4d_offset_lockless()} handed {@code pud_offset_lockless()} the
 * address of {@code gup_fast_pgd_range()}'s stack copy of the pgd, which
 * {@code p4d_to_folded_pud()} aligned down to the stack page and indexed: a stray stack read at
 * any address (Asahi Lina's random oopses). The fix is in v6.11-rc1 (6.10.3 in stable), so the
 * label 6.10 (v6.10) has it and 6.15 and latest do not. A 5-level 4K build always had its own
 * {@code p4d_offset_lockless()} from the real pointer; with LPA2 nothing is folded.
 *
 * <p>The walk before d3f7b1bb2040 (patch folded-offset-on-copy) hands the copy to arm64's
 * {@code p4d_offset()} / {@code pud_offset()} themselves, which align it down just the same: a
 * stray read on 4k-52 and 16k-52 without LPA2, at any address, not the step past the copy it is
 * on s390.
 */
class Arm64LocklessFoldingTest {

    /**
     * Maps and writes two pages straddling the boundary between two top-level entries (or, with
     * {@code across} false, two pages well inside one), then pins them with
     * {@code pin_user_pages_fast(FOLL_WRITE)}, unpins and tears down.
     */
    private static GupResult pinTwo(String variant, String kernel, List<Patch> patches, boolean across) {
        KernelVersion k = KernelVersion.parse(kernel);
        ArchVariant v = ArchRegistry.load().parse("arm64:" + variant, k);
        World w = World.boot(v, k.with(patches), MemConfig.ofBytes(v.pageShift(), 64L << 20), 1, new Sched());
        Task t = w.newTask();
        Geometry g = v.newMmGeometry();
        long ps = 1L << v.pageShift();
        // With nothing folded, a boundary between two entries of the level below the top.
        long span = g.top() == Level.PGD ? g.size(g.top().below()) : g.size(g.top());
        long boundary = (v.mmapBase() - 1) & -span;
        long start = across ? boundary - ps : boundary - 8 * ps;
        long a = t.mmap(start, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        assertEquals(start, a);
        assertEquals(0, t.touch(a, 2 * ps, true));
        Page[] pages = new Page[2];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 2, EnumSet.of(Foll.WRITE), pages);
        w.gup().unpinUserPages(pages, r.pages());
        assertEquals(List.of(), w.teardown());
        return r;
    }

    private static Violation strayRead(String variant, String kernel, List<Patch> patches, boolean across) {
        KernelBugException e = assertThrows(KernelBugException.class, () -> pinTwo(variant, kernel, patches, across));
        Violation v = e.violation();
        assertEquals(ViolationKind.BUG_ON, v.kind(), v.toString());
        assertEquals(Violation.STACK, v.subject());
        assertTrue(v.message().startsWith("KASAN: stack-out-of-bounds read in "), v.message());
        return v;
    }

    @ParameterizedTest(name = "{0} on {1}, across a top entry: {2}")
    @CsvSource({"16k-52, 6.10, true", "16k-52, 6.10, false"})
    void theReleasedSixTenReadsTheStackThroughTheRunTimeFoldedPud(String variant, String kernel, boolean across) {
        Violation v = strayRead(variant, kernel, List.of(), across);
        assertTrue(v.message().contains("gup_fast_pud_range: pud_offset_lockless() aligned its stack copy of the p4d "
                + "entry down to the stack page"), v.message());
        assertTrue(v.message().contains("before 36639013b346"), v.message());
    }

    @ParameterizedTest(name = "{0} on {1}, across a top entry: {2}")
    @CsvSource({
        "16k-52, 6.15, true", "16k-52, latest, true", "16k-52, latest, false",
        "16k-52+lpa2, 6.10, true", "4k-52, 6.10, true", "4k-52, 6.10, false", "4k-52+lpa2, 6.10, true",
        "4k-48, 6.10, true", "16k-48, 6.10, true", "16k-47, 6.10, true", "64k-42, 6.10, true",
        "4k-48, 6.4, true", "16k-48, 6.5, true", "4k-39, 6.4, true"})
    void everyOtherKernelAndVariantPinsBothPages(String variant, String kernel, boolean across) {
        GupResult r = pinTwo(variant, kernel, List.of(), across);
        assertEquals(2, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path(), r.toString());
    }

    @ParameterizedTest(name = "{0}, across a top entry: {1}")
    @CsvSource({"4k-52, true", "4k-52, false", "16k-52, true", "16k-52, false"})
    void theWalkBeforeD3f7b1bb2040AlignsTheCopyDownWhereLevelsFoldAtRunTime(String variant, boolean across) {
        Violation v = strayRead(variant, "latest", List.of(GupPatches.FOLDED_OFFSET_ON_COPY), across);
        String level = variant.startsWith("4k") ? "p4d" : "pud";
        assertTrue(v.message().contains("gup_fast_" + level + "_range: " + level + "_offset() aligned its stack copy"),
                v.message());
        assertTrue(v.message().contains("before d3f7b1bb2040"), v.message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"4k-52+lpa2", "4k-48", "16k-48", "16k-52+lpa2", "4k-39", "64k-48"})
    void withoutRunTimeFoldingTheWalkBeforeD3f7b1bb2040IsRight(String variant) {
        GupResult r = pinTwo(variant, "latest", List.of(GupPatches.FOLDED_OFFSET_ON_COPY), true);
        assertEquals(2, r.ret(), r.toString());
    }
}
