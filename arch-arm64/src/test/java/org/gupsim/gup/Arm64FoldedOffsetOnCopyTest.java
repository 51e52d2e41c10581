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
import org.gupsim.arch.ArchRegistry;
import org.gupsim.arch.ArchVariant;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.sched.KernelBugException;
import org.gupsim.sched.Mutant;
import org.gupsim.sched.Sched;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pre-d3f7b1bb2040 walk (mutant folded-offset-on-copy) on arm64: where a level is folded at
 * run time but its compiled size exceeds the top entry's span (4k-52 and 16k-52 without LPA2
 * hardware), a range crossing two top-level entries makes the folded loop step past the stack
 * copy; with LPA2 nothing is folded and the walk is right. (arm64 gained run-time folding only
 * with LPA2 support, after the generic fix; its own lockless offsets needed 36639013b346.)
 */
class Arm64FoldedOffsetOnCopyTest {

    private static GupResult pinAcrossTopBoundary(String variant) {
        KernelVersion k = KernelVersion.LATEST;
        ArchVariant v = ArchRegistry.load().parse("arm64:" + variant, k);
        World w = World.boot(v, k, MemConfig.ofBytes(v.pageShift(), 64L << 20), 1,
                EnumSet.of(Mutant.FOLDED_OFFSET_ON_COPY), new Sched());
        Task t = w.newTask();
        Geometry g = v.newMmGeometry();
        long ps = 1L << v.pageShift();
        // A boundary between two top-level entries (with nothing folded, between two of the level below).
        long span = g.top() == Level.PGD ? g.size(g.top().below()) : g.size(g.top());
        long boundary = (v.mmapBase() - 1) & -span;
        long a = t.mmap(boundary - ps, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        assertEquals(boundary - ps, a);
        assertEquals(0, t.touch(a, 2 * ps, true));
        return w.gup().pinUserPagesFast(t.mm(), a, 2, EnumSet.of(Foll.WRITE), new Page[2]);
    }

    @ParameterizedTest
    @CsvSource({"4k-52", "16k-52"})
    void runTimeFoldedLevelsBreakTheOldWalk(String variant) {
        KernelBugException e = assertThrows(KernelBugException.class, () -> pinAcrossTopBoundary(variant));
        assertEquals(ViolationKind.BUG_ON, e.violation().kind());
        assertTrue(e.violation().message().contains("stepped past its stack copy"), e.violation().message());
    }

    @ParameterizedTest
    @CsvSource({"4k-52+lpa2", "4k-48", "16k-48", "16k-52+lpa2"})
    void withoutRunTimeFoldingTheOldWalkIsRight(String variant) {
        assertEquals(2, pinAcrossTopBoundary(variant).ret());
    }
}
