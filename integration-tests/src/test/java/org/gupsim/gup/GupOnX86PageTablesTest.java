package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.ArchRegistry;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Folio;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;

/**
 * GUP on what only a real architecture's page tables have (core's own tests run on a toy with
 * 2M leaves and three levels): x86-64's 1G PUD leaves and its run-time folded P4D.
 */
class GupOnX86PageTablesTest {
    private static final long PAGE = 4096;

    @Test
    void foldedOffsetOnCopyIsHarmlessOnX86WithoutLa57() {
        // x86 folds P4D at run time but its PGDIR_SIZE follows (39 bits): the pre-d3f7b1bb2040
        // walk through a stack copy runs each folded loop once, even across a top-level entry.
        KernelVersion k = KernelVersion.LATEST;
        World w = World.boot(ArchRegistry.load().parse("x86_64:native-rcu", k), k.with(GupPatches.FOLDED_OFFSET_ON_COPY),
                MemConfig.ofBytes(12, 64L << 20), 1);
        Task t = w.newTask();
        long boundary = 0x7f8000000000L; // a 512G (P4D entry) boundary below TASK_SIZE
        long a = t.mmap(boundary - 2 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                null, 0);
        assertEquals(boundary - 2 * PAGE, a);
        assertEquals(0, t.touch(a, 4 * PAGE, true));
        Page[] pages = new Page[4];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 4, EnumSet.of(Foll.WRITE), pages);
        assertEquals(4, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST, r.path());
        w.gup().unpinUserPages(pages, 4);
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void hugetlbPagesPinThroughPmdAndPudLeaves() {
        KernelVersion k = KernelVersion.LATEST;
        World w = World.boot(ArchRegistry.load().parse("x86_64", k), k, MemConfig.ofBytes(12, 3L << 30), 2);
        Task t = w.newTask();
        for (int shift : new int[] {21, 30}) {
            long size = 1L << shift;
            OpenFile f = w.vfs().memfdCreate("huge", Vfs.MFD_HUGETLB, shift);
            assertNull(w.vfs().ftruncate(f, size));
            long a = t.mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
            assertEquals(0, a & (size - 1), "hugetlb mappings are aligned to their page size");
            t.touch(a, PAGE, true);
            int n = 16;
            Page[] pages = new Page[n];
            GupResult r = w.gup().pinUserPagesFast(t.mm(), a + 8 * PAGE, n, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
            assertEquals(n, r.ret(), r.toString());
            assertEquals(GupResult.Path.FAST, r.path());
            Folio folio = pages[0].folio();
            assertTrue(folio.hugetlb());
            assertEquals(n, folio.pincount(), "large folios count pins exactly");
            assertEquals(pages[0].pfn() + 1, pages[1].pfn());
            w.gup().unpinUserPages(pages, n);
            assertEquals(0, folio.pincount());
            assertEquals(0, t.munmap(a, size));
            w.vfs().fput(f);
        }
        assertEquals(List.of(), w.teardown());
    }
}
