package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_PAGEOUT;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.toy.Toy;
import org.gupsim.check.PinLostCheck;
import org.gupsim.gup.Foll;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.junit.jupiter.api.Test;

/**
 * Swap-out with madvise(MADV_PAGEOUT) and swap-in by fault in direct mode, as mm/vmscan.c,
 * mm/rmap.c and do_swap_page() do them: unpinned pages go to swap and come back exclusive, a
 * pinned page stays mapped (and in the swap cache), a shared swap entry comes back shared, and
 * slots and frames are all given back at teardown.
 */
class SwapTest {
    private static final long PAGE = 4096;

    private final World w = Toy.boot(KernelVersion.LATEST, 64);

    private static long pte(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        assertEquals(Level.PTE, walk.level);
        return walk.entry;
    }

    private static Folio mapped(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        return walk.leafPresent ? t.vm().mem().pfnToPage(pt.format().leafPfn(walk.level, walk.entry)).folio() : null;
    }

    private long mapAnon(Task t, int pages) {
        long addr = t.mmap(0, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(addr > 0);
        assertEquals(0, t.touch(addr, pages * PAGE, true));
        return addr;
    }

    private void checked() {
        assertEquals(List.of(), w.checkAccounting());
    }

    @Test
    void pageoutSwapsOutAndAFaultBringsThePageBackExclusive() {
        Task t = w.newTask();
        long addr = mapAnon(t, 2);
        Folio before = mapped(t, addr);
        int free = w.mem().freeFrames();
        assertEquals(0, t.madvise(addr, 2 * PAGE, MADV_PAGEOUT));
        checked();
        EntryFormat fmt = t.mm().pageTables().format();
        long swp = pte(t, addr);
        assertTrue(fmt.isSwapPte(swp) && SwapOps.isSwapEntry(fmt, swp), fmt.describe(Level.PTE, swp));
        assertTrue(fmt.swpExclusive(swp), "the swap PTE remembers the page was exclusive");
        assertTrue(before.freed());
        assertEquals(free + 2, w.mem().freeFrames());
        assertEquals(2, w.mem().swap().slotsInUse());

        assertEquals(0, t.touch(addr, PAGE, true));
        checked();
        Page back = w.mem().pfnToPage(fmt.leafPfn(Level.PTE, pte(t, addr)));
        assertTrue(back.pageAnonExclusive());
        assertTrue(fmt.leafWrite(Level.PTE, pte(t, addr)), "exclusive: a write fault maps it writable at once");
        assertEquals(1, w.mem().swap().slotsInUse(), "a write drops the swap copy (should_try_to_free_swap)");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aPinnedPageIsNotUnmappedAndStaysThePinnedOne() {
        Task t = w.newTask();
        long addr = mapAnon(t, 1);
        Page[] pages = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), addr, 1, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages).pages());
        PinLostCheck lost = new PinLostCheck(w.mem());
        lost.pinned(t.mm(), addr, pages, 1);

        assertEquals(0, t.madvise(addr, PAGE, MADV_PAGEOUT));
        checked();
        assertSame(pages[0].folio(), mapped(t, addr), "try_to_unmap_one() put the PTE back");
        assertTrue(pages[0].pageAnonExclusive());
        assertTrue(pages[0].folio().swapcache(), "add_to_swap() had already run");
        assertEquals(List.of(), lost.check());
        w.gup().unpinUserPages(pages, 1);
        assertEquals(List.of(), w.teardown(), "exit frees the swap-cache folio and its slot");
    }

    @Test
    void aSwapEntryForkSharesComesBackSharedAndIsCopiedOnWrite() {
        Task parent = w.newTask();
        long addr = mapAnon(parent, 1);
        assertEquals(0, parent.madvise(addr, PAGE, MADV_PAGEOUT));
        Task child = w.fork(parent);
        checked();
        EntryFormat fmt = parent.mm().pageTables().format();
        assertFalse(fmt.swpExclusive(pte(parent, addr)), "fork took the exclusive marker away in the parent too");
        assertEquals(pte(parent, addr), pte(child, addr));

        assertEquals(0, parent.touch(addr, PAGE, false));
        Folio shared = mapped(parent, addr);
        assertFalse(fmt.leafWrite(Level.PTE, pte(parent, addr)));
        assertEquals(0, child.touch(addr, PAGE, false));
        assertSame(shared, mapped(child, addr), "both fault the same swap-cache folio in");
        assertEquals(0, child.touch(addr, PAGE, true));
        assertNotSame(shared, mapped(child, addr), "the child's write copies it");
        checked();
        assertEquals(List.of(), w.teardown());
    }
}
