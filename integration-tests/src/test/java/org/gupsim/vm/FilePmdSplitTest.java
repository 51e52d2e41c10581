package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_COLLAPSE;
import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Splitting a PMD that maps a page-cache THP, as mm/huge_memory.c __split_huge_pmd_locked() does
 * for a VMA that is not anonymous: the PMD is cleared and flushed, the folio loses the mapping's
 * map count, reference and file RSS, and no PTE table is made; the pages fault back in later (by a
 * PMD where the VMA still covers the aligned range, else by PTEs). Reached from a VMA split
 * (munmap, mprotect of part of the range), a zap of part of the PMD (MADV_DONTNEED), and a write
 * fault on a read-only file PMD (wp_huge_pmd(): a private mapping copies the one page at PTE level).
 * A shared shmem mapping is mapped writable from its first fault (no write-notify), so it never
 * reaches wp_huge_pmd().
 */
class FilePmdSplitTest {
    private static final long PAGE = 4096;
    private static final long PMD = 2L << 20;
    private static final long ADDR = 4 * PMD;

    private World w;
    private Task t;
    private OpenFile file;
    /** The memfd's one PMD-sized folio, mapped by a PMD at {@link #ADDR}. */
    private Folio huge;

    private static Walk peek(Task t, long addr) {
        return t.mm().pageTables().peekWalk(addr, new Walk());
    }

    private static Level leafLevel(Task t, long addr) {
        Walk w = peek(t, addr);
        return w.leafPresent ? w.level : null;
    }

    private static Folio mapped(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk w = pt.peekWalk(addr, new Walk());
        return w.leafPresent ? t.vm().mem().pfnToPage(pt.format().leafPfn(w.level, w.entry)).folio() : null;
    }

    /** A shared PMD-sized memfd at {@link #ADDR}, collapsed into one huge folio mapped by a PMD. */
    @BeforeEach
    void mapHugeShmem() {
        w = Worlds.boot("x86_64", KernelVersion.LATEST, 64L << 20);
        t = w.newTask();
        file = w.vfs().memfdCreate("split", 0, 0);
        assertEquals(null, w.vfs().ftruncate(file, PMD));
        assertEquals(ADDR, t.mmap(ADDR, PMD, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, file, 0));
        assertEquals(0, t.touch(ADDR, 2 * PAGE, true));
        assertEquals(0, t.madvise(ADDR, PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(t, ADDR));
        huge = mapped(t, ADDR);
        assertTrue(huge.large());
        assertEquals(PMD / PAGE, t.mm().rssFile());
    }

    @AfterEach
    void tornDownClean() {
        w.vfs().fput(file);
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    /** The PMD of {@code addr} is none: no huge leaf and no PTE table under it. */
    private void assertPmdNone(long addr, String why) {
        Walk p = peek(t, addr);
        assertEquals(Level.PMD, p.level, why + ": the walk stops at the PMD");
        assertTrue(t.mm().pageTables().format().none(Level.PMD, p.entry), why + ": the PMD is none");
    }

    @Test
    void munmapOfHalfThePmdUnmapsTheWholePmdAndTheRestRefaultsByPtes() {
        int refs = w.mem().folioRefCount(huge);
        int mapcount = huge.mapcount();
        assertEquals(0, t.munmap(ADDR + PMD / 2, PMD / 2));
        assertPmdNone(ADDR, "split_huge_pmd_if_needed() of a file PMD");
        assertEquals(refs - 1, w.mem().folioRefCount(huge), "the PMD mapping's reference dropped");
        assertEquals(mapcount - 1, huge.mapcount(), "the PMD mapping's map count dropped");
        assertEquals(0, t.mm().rssFile());
        assertEquals(0, t.touch(ADDR + 3 * PAGE, PAGE, false));
        assertEquals(Level.PTE, leafLevel(t, ADDR + 3 * PAGE), "the VMA no longer covers the PMD range: by PTEs");
        assertSame(huge, mapped(t, ADDR + 3 * PAGE));
        assertEquals(null, leafLevel(t, ADDR), "only the page touched is mapped again");
        assertEquals(1, t.mm().rssFile());
    }

    @Test
    void mprotectOfPartOfThePmdUnmapsTheWholePmd() {
        assertEquals(0, t.mprotect(ADDR, PAGE, PROT_READ));
        assertPmdNone(ADDR + 7 * PAGE, "the VMA split at ADDR + PAGE");
        assertEquals(0, t.mm().rssFile());
        assertEquals(0, t.touch(ADDR + 7 * PAGE, PAGE, true));
        assertEquals(Level.PTE, leafLevel(t, ADDR + 7 * PAGE));
        assertSame(huge, mapped(t, ADDR + 7 * PAGE));
    }

    @Test
    void dontneedOfOnePageUnmapsTheWholePmdAndARefaultMapsItByAPmdAgain() {
        int refs = w.mem().folioRefCount(huge);
        assertEquals(0, t.madvise(ADDR + PAGE, PAGE, MADV_DONTNEED));
        assertPmdNone(ADDR + 5 * PAGE, "zap_pmd_range() splits a partly covered file PMD");
        assertEquals(refs - 1, w.mem().folioRefCount(huge));
        assertEquals(0, t.mm().rssFile());
        assertEquals(0, t.touch(ADDR + 5 * PAGE, PAGE, false));
        assertEquals(Level.PMD, leafLevel(t, ADDR), "the VMA still covers the PMD range: do_set_pmd()");
        assertEquals(refs, w.mem().folioRefCount(huge));
    }

    @Test
    void aWriteFaultOnAPrivateFilePmdUnmapsItAndCopiesTheOnePageWritten() {
        long priv = 16 * PMD;
        assertEquals(priv, t.mmap(priv, PMD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, file, 0));
        int refs = w.mem().folioRefCount(huge);
        assertEquals(0, t.touch(priv, PAGE, false));
        assertEquals(Level.PMD, leafLevel(t, priv), "a read fault maps the page-cache THP by a PMD");
        assertEquals(refs + 1, w.mem().folioRefCount(huge));
        assertEquals(0, t.touch(priv + 3 * PAGE, PAGE, true));
        assertEquals(Level.PTE, leafLevel(t, priv + 3 * PAGE), "do_cow_fault() at PTE level");
        Folio copy = mapped(t, priv + 3 * PAGE);
        assertNotSame(huge, copy);
        assertTrue(copy.anon());
        assertFalse(copy.large());
        assertEquals(null, leafLevel(t, priv), "the other pages are no longer mapped");
        assertEquals(refs, w.mem().folioRefCount(huge), "the private PMD's reference dropped");
        assertEquals(1, t.mm().rssAnon());
        assertEquals(PMD / PAGE, t.mm().rssFile(), "the shared mapping's PMD only");
    }
}
