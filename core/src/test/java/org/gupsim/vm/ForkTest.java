package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.toy.Toy;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.Foll;
import org.gupsim.gup.GupResult;
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
 * fork() in direct mode, as mm/memory.c's copy_page_range() and do_wp_page() do it: private
 * anonymous memory is shared copy-on-write, a pinned page stays the parent's and the child gets a
 * copy, huge mappings are shared whole or split, and accounting and teardown come out clean.
 */
class ForkTest {
    private static final long PAGE = 4096;
    private static final long HUGE = 2L << 20;

    private final World w = Toy.boot(KernelVersion.LATEST, 64);

    /** What {@code task} maps at {@code addr}: the entry's folio, or null. */
    private static Folio mapped(Task task, long addr) {
        PageTables pt = task.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        if (!walk.leafPresent) {
            return null;
        }
        EntryFormat fmt = pt.format();
        long size = pt.geometry().size(walk.level);
        long pfn = fmt.leafPfn(walk.level, walk.entry) + ((addr & (size - 1)) >>> pt.geometry().pageShift());
        return task.vm().mem().pfnToPage(pfn).folio();
    }

    private static Page mappedPage(Task task, long addr) {
        PageTables pt = task.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        long size = pt.geometry().size(walk.level);
        long pfn = pt.format().leafPfn(walk.level, walk.entry) + ((addr & (size - 1)) >>> pt.geometry().pageShift());
        return task.vm().mem().pfnToPage(pfn);
    }

    private static boolean writable(Task task, long addr) {
        PageTables pt = task.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        return walk.leafPresent && pt.format().leafWrite(walk.level, walk.entry);
    }

    private void checked() {
        assertEquals(List.of(), w.checkAccounting());
    }

    private long mapAnon(Task t, long len) {
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(addr > 0);
        assertEquals(0, t.touch(addr, len, true));
        return addr;
    }

    /** A private anonymous THP (MADV_HUGEPAGE, written whole), mapped by one PMD in {@code t}. */
    private static long mapThp(Task t) {
        long addr = t.mmap(0, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertEquals(0, t.madvise(addr, HUGE, MADV_HUGEPAGE));
        assertEquals(0, t.touch(addr, HUGE, true));
        return addr;
    }

    /** The end of a test with a pin: the accounting holds, the pin is released, teardown leaks nothing. */
    private void unpinCheckedAndTearDown(Page[] pinned) {
        checked();
        w.gup().unpinUserPages(pinned, pinned.length);
        assertEquals(List.of(), w.teardown());
    }

    private Page[] pinFast(Task t, long addr, int n) {
        Page[] pages = new Page[n];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), addr, n, EnumSet.of(Foll.WRITE, Foll.LONGTERM), pages);
        assertEquals(n, r.pages(), r.toString());
        return pages;
    }

    @Test
    void anonymousMemoryIsSharedCopyOnWriteAndEachWriteCopiesOnce() {
        Task parent = w.newTask();
        long addr = mapAnon(parent, 2 * PAGE);
        Folio before = mapped(parent, addr);
        int seq = parent.mm().readWriteProtectSeq();

        Task child = w.fork(parent);
        checked();
        assertEquals(seq + 2, parent.mm().readWriteProtectSeq(), "fork wrote write_protect_seq around the copy");
        assertSame(before, mapped(child, addr), "the child shares the page");
        assertFalse(writable(parent, addr), "write-protected in the parent");
        assertFalse(writable(child, addr));
        assertFalse(mappedPage(parent, addr).pageAnonExclusive(), "no longer exclusive");
        assertEquals(2, before.mapcount());

        assertEquals(0, child.touch(addr, PAGE, true));
        checked();
        Folio childCopy = mapped(child, addr);
        assertNotSame(before, childCopy, "the child's write copied the page");
        assertTrue(mappedPage(child, addr).pageAnonExclusive());
        assertEquals(1, before.mapcount());

        assertEquals(0, parent.touch(addr, PAGE, true));
        checked();
        assertSame(before, mapped(parent, addr), "the parent, now the only user, reuses its page");
        assertTrue(writable(parent, addr));
        assertTrue(mappedPage(parent, addr).pageAnonExclusive());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aPinnedPageStaysWithTheParentAndTheChildGetsACopy() {
        Task parent = w.newTask();
        long addr = mapAnon(parent, PAGE);
        Page[] pinned = pinFast(parent, addr, 1);

        Task child = w.fork(parent);
        checked();
        assertSame(pinned[0].folio(), mapped(parent, addr));
        assertTrue(writable(parent, addr), "early CoW leaves the parent's PTE as it was");
        assertTrue(pinned[0].pageAnonExclusive());
        Folio copy = mapped(child, addr);
        assertNotNull(copy);
        assertNotSame(pinned[0].folio(), copy, "the child got its own copy at fork");
        assertTrue(writable(child, addr));

        assertEquals(0, parent.touch(addr, PAGE, true));
        assertEquals(0, child.touch(addr, PAGE, true));
        assertSame(pinned[0].folio(), mapped(parent, addr), "the pin still is what the parent maps");
        assertSame(copy, mapped(child, addr));
        unpinCheckedAndTearDown(pinned);
    }

    @Test
    void aPinInAnotherMmLeavesForkAlone() {
        // MMF_HAS_PINNED is per mm: a page pinned through the parent but with a child that pins
        // nothing itself shares as usual when the child forks.
        Task parent = w.newTask();
        long addr = mapAnon(parent, PAGE);
        Task child = w.fork(parent);
        assertEquals(0, child.touch(addr, PAGE, true));
        Task grandchild = w.fork(child);
        assertSame(mapped(child, addr), mapped(grandchild, addr));
        checked();
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aPinnedThpIsSplitAndEveryExclusiveSubpageCopiedForTheChild() {
        Task parent = w.newTask();
        long addr = mapThp(parent);
        Folio thp = mapped(parent, addr);
        assertTrue(thp.large());
        Page[] pinned = pinFast(parent, addr + PAGE, 1);

        Task child = w.fork(parent);
        checked();
        assertSame(thp, mapped(parent, addr + PAGE));
        assertTrue(writable(parent, addr + PAGE), "the pinned subpage stays writable in the parent");
        assertNotSame(thp, mapped(child, addr + PAGE), "and is copied for the child");
        assertNotSame(thp, mapped(child, addr),
                "an unpinned subpage of a pinned THP is copied too: maybe-pinned is asked of the whole folio");
        assertSame(thp, mapped(parent, addr));

        unpinCheckedAndTearDown(pinned);
    }

    @Test
    void anUnpinnedThpIsSharedWholeAndAWriteSplitsIt() {
        Task parent = w.newTask();
        long addr = mapThp(parent);
        Folio thp = mapped(parent, addr);

        Task child = w.fork(parent);
        checked();
        assertSame(thp, mapped(child, addr + 5 * PAGE));
        assertFalse(writable(parent, addr));

        assertEquals(0, parent.touch(addr + 5 * PAGE, PAGE, true));
        checked();
        assertNotSame(thp, mapped(parent, addr + 5 * PAGE), "the written page was copied");
        assertSame(thp, mapped(parent, addr + 6 * PAGE), "the rest still maps the THP, now by PTEs");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void privateHugetlbIsSharedCopyOnWriteOrCopiedWhenPinned() {
        Task parent = w.newTask();
        long shared = parent.mmap(0, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | VmFlags.MAP_HUGETLB,
                null, 0);
        long pinnedAt = parent.mmap(0, HUGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | VmFlags.MAP_HUGETLB, null, 0);
        assertTrue(shared > 0 && pinnedAt > 0);
        assertEquals(0, parent.touch(shared, HUGE, true));
        assertEquals(0, parent.touch(pinnedAt, HUGE, true));
        Page[] pinned = pinFast(parent, pinnedAt, 1);

        Task child = w.fork(parent);
        checked();
        assertSame(mapped(parent, shared), mapped(child, shared));
        assertNotSame(pinned[0].folio(), mapped(child, pinnedAt));
        assertTrue(writable(parent, pinnedAt));

        assertEquals(0, parent.touch(shared, PAGE, true));
        assertNotSame(mapped(parent, shared), mapped(child, shared), "the parent's write copied the huge page");
        unpinCheckedAndTearDown(pinned);
    }

    @Test
    void aLongtermWritePinOfAPrivateExt4MappingPinsTheCowCopyAndForkLeavesItWithTheParent() {
        Task parent = w.newTask();
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "data", 4 * PAGE);
        long addr = parent.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
        assertTrue(addr > 0);
        assertEquals(0, parent.touch(addr, 4 * PAGE, false));
        Folio cached = mapped(parent, addr);
        assertFalse(cached.anon());

        Page[] pinned = pinFast(parent, addr, 1);
        assertTrue(pinned[0].folio().anon(), "FOLL_WRITE broke CoW: the pin is on an anonymous copy");
        assertNotSame(cached, pinned[0].folio());
        assertSame(pinned[0].folio(), mapped(parent, addr));

        Task child = w.fork(parent);
        checked();
        assertSame(pinned[0].folio(), mapped(parent, addr), "the pinned copy stays the parent's");
        assertTrue(writable(parent, addr));
        Folio childPage = mapped(child, addr);
        assertTrue(childPage.anon());
        assertNotSame(pinned[0].folio(), childPage, "the child got a copy of the pinned copy");
        assertSame(mapped(parent, addr + PAGE), mapped(child, addr + PAGE), "unwritten pages: the page cache, shared");

        assertEquals(0, parent.touch(addr, PAGE, true));
        assertSame(pinned[0].folio(), mapped(parent, addr));
        w.gup().unpinUserPages(pinned, 1);
        checked();
        w.vfs().fput(f);
        assertNull(w.vfs().unlink("data"));
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void sharedMappingsAreNotCopiedAndTheChildFaultsThemIn() {
        Task parent = w.newTask();
        long addr = parent.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, null, 0);
        assertEquals(0, parent.touch(addr, 2 * PAGE, true));
        Task child = w.fork(parent);
        assertNull(mapped(child, addr), "no anon_vma: vma_needs_copy() is false");
        assertEquals(0, child.touch(addr, PAGE, true));
        assertSame(mapped(parent, addr), mapped(child, addr), "the same shmem page");
        assertTrue(writable(parent, addr));
        checked();
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void forkOutOfMemoryFailsCleanly() {
        Task parent = w.newTask();
        long addr = mapAnon(parent, 4 * PAGE);
        pinFast(parent, addr, 4);
        w.mem().setFailHighuserAfter(0);
        assertNull(w.fork(parent), "the child's copies of the pinned pages cannot be allocated");
        w.mem().setFailHighuserAfter(-1);
        checked();
        assertEquals(1, w.tasks().size());
    }
}
