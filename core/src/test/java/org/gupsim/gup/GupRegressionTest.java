package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.toy.Toy;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Model bugs the GUP properties found, shrunk to plain tests. */
class GupRegressionTest {

    /**
     * Found by {@link FastPathProperties}: FOLL_FORCE on a PROT_NONE VMA (as ptrace does through
     * access_remote_vm()) must make progress. The fault maps a PROT_NONE entry, and
     * {@code gup_can_follow_protnone()} lets the slow path take it; the model faulted again and
     * again instead.
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void forcePinOfProtNoneMappingMakesProgress(KernelVersion k) {
        for (int mapType : new int[] {MAP_SHARED, MAP_PRIVATE}) {
            for (EnumSet<Foll> flags : List.of(EnumSet.of(Foll.FORCE), EnumSet.of(Foll.FORCE, Foll.LONGTERM),
                    EnumSet.of(Foll.FORCE, Foll.WRITE))) {
                World w = Toy.boot(k, 16);
                Task t = w.newTask();
                long addr = t.mmap(0, 8 * Toy.PAGE, PROT_NONE, mapType | MAP_ANONYMOUS, null, 0);
                assertTrue(addr > 0);
                Page[] pages = new Page[8];
                GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, 8, flags, pages);
                String what = k + " " + (mapType == MAP_SHARED ? "shared" : "private") + " " + flags;
                // A forced write to a shared mapping without VM_WRITE is refused (not a CoW mapping).
                long want = mapType == MAP_SHARED && flags.contains(Foll.WRITE) ? -14 : 8;
                assertEquals(want, r.ret(), what + ": " + r);
                assertEquals(List.of(), w.checkAccounting(), what);
                w.gup().unpinUserPages(pages, r.pages());
                assertEquals(List.of(), w.teardown(), what);
            }
        }
    }

    /**
     * Found by {@link RandomOpsProperties}: mprotect of the first 4K of a PMD-mapped THP split the
     * VMA but not the huge PMD ({@code vma_adjust_trans_huge()} → {@code split_huge_pmd_if_needed()}
     * was missing), so the whole 2M became PROT_NONE and a write to the still-writable rest of the
     * range faulted forever.
     */
    @ParameterizedTest
    @EnumSource(value = KernelVersion.class, names = {"V6_4", "LATEST"})
    void splittingAVmaSplitsTheHugePmdAcrossIt(KernelVersion k) {
        World w = Toy.boot(k, 16);
        Task t = w.newTask();
        long len = Toy.HUGE;
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertEquals(0, addr & (len - 1), "2M-aligned");
        assertEquals(0, t.madvise(addr, len, MADV_HUGEPAGE));
        assertEquals(0, t.touch(addr, Toy.PAGE, true));
        assertEquals(0, t.mprotect(addr, Toy.PAGE, PROT_NONE));
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(0, t.touch(addr + Toy.PAGE, Toy.PAGE, true), "write to the writable part");
        assertEquals(-14, t.touch(addr, Toy.PAGE, false), "the PROT_NONE page stays inaccessible");
        Page[] pages = new Page[511];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr + Toy.PAGE, 511, EnumSet.of(Foll.WRITE), pages);
        assertEquals(511, r.ret(), r.toString());
        assertEquals(List.of(), w.checkAccounting());
        w.gup().unpinUserPages(pages, 511);
        assertEquals(List.of(), w.teardown());
    }
}
