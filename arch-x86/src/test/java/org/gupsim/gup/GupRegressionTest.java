package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
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
                World w = TestMappings.boot(k, 16);
                Task t = w.newTask();
                long addr = t.mmap(0, 8 * TestMappings.PAGE, PROT_NONE, mapType | MAP_ANONYMOUS, null, 0);
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
}
