package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_COLLAPSE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.EnumSet;
import java.util.List;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.Foll;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * madvise(MADV_COLLAPSE) of a shmem range in direct mode, as mm/khugepaged.c madvise_collapse()
 * does it: small pages become one huge folio mapped by a huge PMD; a range the page cache already
 * holds as a huge folio mapped by PTEs gets its PTE table retracted and the PMD
 * (collapse_pte_mapped_thp); a pinned small page makes it fail with -EAGAIN and leaves the page;
 * anonymous memory collapses too (collapse_huge_page from the caller's context); less than a PMD
 * range, or a regular file, is -EINVAL; and everything is given back at teardown. On 6.5 (the table
 * freed under the mmap write lock) and on the latest kernel (pte_free_defer()).
 */
class MadvCollapseTest {
    /** Run on 6.5 (a retracted table freed under the mmap write lock) and on the latest kernel (pte_free_defer()). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ParameterizedTest
    @EnumSource(value = KernelVersion.class, names = {"V6_5", "LATEST"})
    private @interface OnBothTableFreeings {
    }

    private static final long PAGE = 4096;
    private static final long PMD = 2L << 20;
    private static final long ADDR = 4 * PMD;

    private static Level leafLevel(Task t, long addr) {
        Walk w = t.mm().pageTables().peekWalk(addr, new Walk());
        return w.leafPresent ? w.level : null;
    }

    private static Folio mapped(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk w = pt.peekWalk(addr, new Walk());
        return w.leafPresent ? t.vm().mem().pfnToPage(pt.format().leafPfn(w.level, w.entry)).folio() : null;
    }

    /** The machine of the test, booted on its kernel by {@link #boot}. */
    private World w;
    /** A process on {@link #w}. */
    private Task t;

    private void boot(KernelVersion k) {
        w = Worlds.boot("x86_64", k, 64L << 20);
        t = w.newTask();
    }

    /** Maps a PMD-sized memfd at {@link #ADDR}, shared, its first {@code touched} pages written. */
    private long mapShmem(int touched) {
        OpenFile f = w.vfs().memfdCreate("collapse", 0, 0);
        assertEquals(null, w.vfs().ftruncate(f, PMD));
        long addr = t.mmap(ADDR, PMD, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, f, 0);
        assertEquals(ADDR, addr);
        w.vfs().fput(f);
        assertEquals(0, t.touch(addr, touched * PAGE, true));
        return addr;
    }

    /**
     * Boots on {@code k}, maps the memfd with two pages written and lets khugepaged collapse the
     * file range into one huge folio (MADV_HUGEPAGE, then collapse_file()).
     */
    private long collapsedByKhugepaged(KernelVersion k) {
        boot(k);
        long addr = mapShmem(2);
        assertEquals(0, t.madvise(addr, PMD, VmFlags.MADV_HUGEPAGE));
        assertEquals(Khugepaged.ScanResult.SCAN_SUCCEED, w.vm().khugepaged().collapseFile(t.mm(), addr));
        return addr;
    }

    /** After each test: the accounting holds and teardown leaks nothing. */
    @AfterEach
    void tornDownClean() {
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    @OnBothTableFreeings
    void smallPagesBecomeOneHugePageMappedByAPmd(KernelVersion k) {
        boot(k);
        long addr = mapShmem(3);
        Folio small = mapped(t, addr);
        assertFalse(small.large());
        assertEquals(0, t.madvise(addr, PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(t, addr));
        Folio huge = mapped(t, addr);
        assertTrue(huge.large());
        assertSame(huge, mapped(t, addr + 2 * PAGE).folio());
        assertTrue(small.freed(), "the small folio left the page cache and was freed");
        // Again: already PMD-mapped, nothing to do.
        assertEquals(0, t.madvise(addr, PMD, MADV_COLLAPSE));
        assertSame(huge, mapped(t, addr));
    }

    @OnBothTableFreeings
    void aPteMappedHugePageGetsItsTableRetractedAndAPmd(KernelVersion k) {
        long addr = collapsedByKhugepaged(k);
        // The table a retraction that skipped this mm leaves (gup-fast-vs-madv-collapse's set-up);
        // the pages faulted into it are mapped by PTEs.
        assertEquals(Level.PTE, t.mm().pageTables().walkAlloc(addr, Level.PTE, new Walk(), "pte_alloc").level);
        assertEquals(0, t.touch(addr, 2 * PAGE, true));
        assertEquals(Level.PTE, leafLevel(t, addr));
        Folio huge = mapped(t, addr);
        assertTrue(huge.large());
        int refs = w.mem().folioRefCount(huge);
        assertEquals(0, t.madvise(addr, PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(t, addr));
        assertSame(huge, mapped(t, addr));
        assertEquals(refs - 2 + 1, w.mem().folioRefCount(huge), "two PTE references gone, one PMD reference");
    }

    @OnBothTableFreeings
    void aPinnedPageMakesItFailWithEagainAndStays(KernelVersion k) {
        boot(k);
        long addr = mapShmem(1);
        Page[] pages = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), addr, 1, EnumSet.of(Foll.WRITE), pages).pages());
        assertEquals(Errno.EAGAIN.negative(), t.madvise(addr, PMD, MADV_COLLAPSE));
        assertEquals(Level.PTE, leafLevel(t, addr));
        assertSame(pages[0].folio(), mapped(t, addr));
        w.gup().unpinUserPages(pages, 1);
    }

    @OnBothTableFreeings
    void anonymousPagesCollapseWithoutMadvHugepageUnlessPinned(KernelVersion k) {
        boot(k);
        long addr = t.mmap(ADDR, PMD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0);
        assertEquals(ADDR, addr);
        assertEquals(0, t.touch(addr, 2 * PAGE, true));
        Page[] pages = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), addr, 1, EnumSet.of(Foll.WRITE), pages).pages());
        assertEquals(Errno.EAGAIN.negative(), t.madvise(addr, PMD, MADV_COLLAPSE));
        assertEquals(Level.PTE, leafLevel(t, addr));
        w.gup().unpinUserPages(pages, 1);
        // No MADV_HUGEPAGE and no recently-used requirement: MADV_COLLAPSE is not khugepaged.
        assertEquals(0, t.madvise(addr, PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(t, addr));
        assertTrue(mapped(t, addr).large());
    }

    @ParameterizedTest
    @EnumSource(value = KernelVersion.class, names = {"LATEST"})
    void lessThanAPmdRangeOrARegularFileIsEinval(KernelVersion k) {
        boot(k);
        long addr = mapShmem(1);
        assertEquals(Errno.EINVAL.negative(), t.madvise(addr + PAGE, 4 * PAGE, MADV_COLLAPSE));
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "regular", PMD);
        long file = t.mmap(8 * PMD, PMD, PROT_READ, MAP_PRIVATE | MAP_FIXED, f, 0);
        assertEquals(8 * PMD, file);
        w.vfs().fput(f);
        assertEquals(0, t.touch(file, PAGE, false));
        assertEquals(Errno.EINVAL.negative(), t.madvise(file, PMD, MADV_COLLAPSE), "no READ_ONLY_THP_FOR_FS");
        assertEquals(null, w.vfs().unlink("regular"));
    }

    /** Anonymous memory at {@code addr}, one PMD range, its first pages touched. */
    private static void mapAnonAt(Task t, long addr) {
        assertEquals(addr, t.mmap(addr, PMD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0));
        assertEquals(0, t.touch(addr, 2 * PAGE, true));
    }

    /**
     * madvise_walk_vmas() calls madvise_collapse() for each VMA of the range: two VMAs side by side
     * are both collapsed (0), and with a hole between them both are collapsed and the call says
     * -ENOMEM. A VMA piece inside one PMD range, reaching neither of its ends, is -EINVAL (the
     * unsigned count of madvise_collapse() as of the 2025 tree), which stops the walk before the
     * next VMA.
     */
    @OnBothTableFreeings
    void eachVmaOfTheRangeIsCollapsed(KernelVersion k) {
        boot(k);
        mapAnonAt(t, ADDR);
        mapAnonAt(t, ADDR + PMD);
        assertEquals(0, t.mprotect(ADDR + PMD, PMD, PROT_READ | PROT_WRITE | VmFlags.PROT_EXEC));
        assertEquals(2, t.mm().vmas().size(), "two VMAs side by side");
        assertEquals(0, t.madvise(ADDR, 2 * PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(t, ADDR));
        assertEquals(Level.PMD, leafLevel(t, ADDR + PMD));

        mapAnonAt(t, ADDR + 3 * PMD);
        assertEquals(Errno.ENOMEM.negative(), t.madvise(ADDR, 4 * PMD, MADV_COLLAPSE), "a hole in the range");
        assertEquals(Level.PMD, leafLevel(t, ADDR + 3 * PMD), "the VMA after the hole was collapsed too");

        // Inside one PMD range without reaching either end of it.
        long small = ADDR + 5 * PMD - 8 * PAGE;
        assertEquals(small, t.mmap(small, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0));
        mapAnonAt(t, ADDR + 5 * PMD);
        assertEquals(5, t.mm().vmas().size());
        assertEquals(Errno.EINVAL.negative(), t.madvise(small, ADDR + 6 * PMD - small, MADV_COLLAPSE));
        assertEquals(Level.PTE, leafLevel(t, ADDR + 5 * PMD), "the walk stopped before this VMA");
    }

    /**
     * mm/memory.c finish_fault(): a fault that finds the PMD empty maps a PMD-sized page-cache
     * folio by a PMD (do_set_pmd()), with one reference and the file RSS; a VMA that cannot hold
     * the PMD there (here: a four-page mapping of the same file) maps its pages by PTEs.
     */
    @OnBothTableFreeings
    void aFaultOnAnEmptyPmdMapsAHugeFolioByAPmd(KernelVersion k) {
        long addr = collapsedByKhugepaged(k);
        assertEquals(null, leafLevel(t, addr), "the retraction left the PMD empty");
        Folio huge = t.mm().vmaLookup(addr).file().inode().mapping().get(0);
        assertTrue(huge.large());
        int refs = w.mem().folioRefCount(huge);
        // pin_user_pages_fast() finds no PMD; its slow path faults the page in (a write fault)
        // and follows the PMD.
        Page[] pages = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), addr + 5 * PAGE, 1, EnumSet.of(Foll.WRITE), pages).pages());
        assertSame(huge, pages[0].folio());
        assertEquals(Level.PMD, leafLevel(t, addr));
        assertSame(huge, mapped(t, addr + 7 * PAGE));
        w.gup().unpinUserPages(pages, 1);
        assertEquals(refs + 1, w.mem().folioRefCount(huge), "one reference for the PMD mapping");
        assertEquals(0, t.touch(addr, PMD, true), "the shared mapping's PMD is writable: no further fault");
        assertEquals(refs + 1, w.mem().folioRefCount(huge));

        long small = t.mmap(16 * PMD, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
                t.mm().vmaLookup(addr).file(), 0);
        assertEquals(16 * PMD, small);
        assertEquals(0, t.touch(small, PAGE, false));
        assertEquals(Level.PTE, leafLevel(t, small), "a VMA smaller than the PMD range: by PTEs");
        assertSame(huge, mapped(t, small));
    }
}
