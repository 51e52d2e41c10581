package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.List;
import org.gupsim.arch.toy.Toy;
import org.gupsim.callers.PinOutcome;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.Page;
import org.gupsim.mm.Zone;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Focused checks of GUP mechanics on the toy architecture ({@link Toy}), one behaviour each. */
class GupBehaviourTest {
    private static final long PAGE = 4096;
    private static final EnumSet<Foll> WRITE_LONGTERM = EnumSet.of(Foll.WRITE, Foll.LONGTERM);

    private static World world(String kernel, MemConfig mem) {
        KernelVersion k = KernelVersion.parse(kernel);
        return World.boot(Toy.variant(), k, mem, 2);
    }

    /** The machine of the test: latest, 64 MiB, unless the test boots another ({@link #boot}). */
    private World w;
    /** A process on {@link #w}. */
    private Task t;

    @BeforeEach
    void bootDefault() {
        boot("latest", MemConfig.ofBytes(12, 64L << 20));
    }

    /** Boots the test's machine on {@code kernel} with {@code mem}, and a process on it. */
    private void boot(String kernel, MemConfig mem) {
        w = world(kernel, mem);
        t = w.newTask();
    }

    private static long anon(Task t, long len) {
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertTrue(a > 0, "mmap: " + a);
        return a;
    }

    /** Private anonymous memory, every page faulted in (written if {@code write}). */
    private static long touchedAnon(Task t, long len, boolean write) {
        long a = anon(t, len);
        assertEquals(0, t.touch(a, len, write));
        return a;
    }

    /** Ends a test: the pins are released and teardown leaks nothing. */
    private void unpinAndTearDown(Page[] pages, int n) {
        w.gup().unpinUserPages(pages, n);
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void longtermPinMigratesOutOfZoneMovable() {
        boot("latest", MemConfig.ofBytes(12, 64L << 20).withMovable(64L << 20));
        long a = touchedAnon(t, 8 * PAGE, true);
        Page[] pages = new Page[8];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 8, WRITE_LONGTERM, pages);
        assertEquals(8, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST_SLOW, r.path(), "user pages start in ZONE_MOVABLE, so the fast path must give up");
        for (Page p : pages) {
            assertEquals(Zone.NORMAL, w.mem().zoneOf(p.pfn()), "pinned long-term page left in ZONE_MOVABLE");
            assertTrue(p.folio().maybeDmaPinned());
        }
        // The mapping now points at the migrated pages.
        assertEquals(0, t.touch(a, 8 * PAGE, true));
        assertEquals(List.of(), w.checkAccounting());
        unpinAndTearDown(pages, 8);
    }

    @Test
    void shortTermPinStaysInZoneMovableOnTheFastPath() {
        boot("latest", MemConfig.ofBytes(12, 64L << 20).withMovable(64L << 20));
        long a = touchedAnon(t, 4 * PAGE, true);
        Page[] pages = new Page[4];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 4, EnumSet.of(Foll.WRITE), pages);
        assertEquals(4, r.ret());
        assertEquals(GupResult.Path.FAST, r.path());
        assertEquals(Zone.MOVABLE, w.mem().zoneOf(pages[0].pfn()));
        unpinAndTearDown(pages, 4);
    }

    @Test
    void longtermPinFailsWithEnomemWhenAnotherPinBlocksMigration() {
        boot("latest", MemConfig.ofBytes(12, 64L << 20).withCma(32L << 20, true));
        long a = touchedAnon(t, 2 * PAGE, true);
        assertTrue(w.mem().isCma(pfnAt(t, a)), "test needs the page in CMA");
        Page[] shortPin = new Page[1];
        assertEquals(1, w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.of(Foll.WRITE), shortPin).ret());
        Page[] pages = new Page[2];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 2, WRITE_LONGTERM, pages);
        assertEquals(Errno.ENOMEM, r.errno(), r.toString());
        assertNull(pages[1], "every pin of the failed call must have been dropped");
        assertEquals(1 + Folio.GUP_PIN_COUNTING_BIAS, shortPin[0].folio().refcount());
        unpinAndTearDown(shortPin, 1);
    }

    private static int pfnAt(Task t, long addr) {
        Walk walk = t.mm().pageTables().walk(addr, new Walk(), "test");
        return (int) t.mm().pageTables().format().leafPfn(walk.level, walk.entry);
    }

    @Test
    void truncateUnmapsButAPinnedFolioSurvivesWithoutMapping() {
        OpenFile f = w.vfs().memfdCreate("buf", 0, 0);
        assertNull(w.vfs().ftruncate(f, 4 * PAGE));
        long a = t.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        t.touch(a, 4 * PAGE, true);
        Page[] pages = new Page[4];
        assertEquals(4, w.gup().pinUserPagesFast(t.mm(), a, 4, WRITE_LONGTERM, pages).ret());
        Folio pinned = pages[0].folio();
        assertNull(w.vfs().ftruncate(f, 0));
        assertFalse(pinned.freed(), "a pinned folio must outlive truncation");
        assertNull(pinned.mapping(), "truncation takes the folio out of the page cache");
        assertEquals(0, pinned.mapcount());
        assertEquals(-Errno.EFAULT.code(), t.touch(a, PAGE, false), "the page is beyond EOF now: SIGBUS");
        w.gup().unpinUserPages(pages, 4);
        assertTrue(pinned.freed(), "the last unpin frees it");
        w.vfs().fput(f);
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void writebackCleansAndWriteProtectsSoTheNextWriteFaultsThroughPageMkwrite() {
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "f", 2 * PAGE);
        long a = t.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        t.touch(a, 2 * PAGE, true);
        Walk walk = t.mm().pageTables().walk(a, new Walk(), "test");
        var fmt = t.mm().pageTables().format();
        assertTrue(fmt.leafWrite(Level.PTE, walk.entry));
        Folio folio = w.mem().pfnToPage(fmt.leafPfn(Level.PTE, walk.entry)).folio();
        assertTrue(folio.dirty());
        assertEquals(2, w.vfs().writeback(f.inode()));
        assertFalse(folio.dirty());
        walk = t.mm().pageTables().walk(a, new Walk(), "test");
        assertFalse(fmt.leafWrite(Level.PTE, walk.entry), "writeback must write-protect the PTE");
        assertFalse(fmt.leafDirty(Level.PTE, walk.entry));
        t.touch(a, PAGE, true);
        assertTrue(folio.dirty(), "the write fault went through page_mkwrite and dirtied the folio");
        w.vfs().fput(f);
        w.vfs().unlink("f");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void readOnlyLongtermPinOfZeroPageUnsharesIt() {
        long a = touchedAnon(t, PAGE, false);
        Page[] pages = new Page[1];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.of(Foll.LONGTERM), pages);
        assertEquals(1, r.ret(), r.toString());
        assertEquals(GupResult.Path.FAST_SLOW, r.path(), "the zero page is special: GUP-fast must leave it");
        assertFalse(pages[0].folio().zero(), "a long-term R/O pin of the zero page in a CoW mapping must unshare it");
        assertTrue(pages[0].folio().anon());
        assertTrue(pages[0].pageAnonExclusive());
        unpinAndTearDown(pages, 1);
    }

    @Test
    void shortTermReadPinOfZeroPageReturnsItWithoutAPin() {
        long a = touchedAnon(t, PAGE, false);
        Page[] pages = new Page[1];
        int before = w.mem().zeroFolio().refcount();
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.noneOf(Foll.class), pages);
        assertEquals(1, r.ret());
        assertTrue(pages[0].folio().zero());
        assertEquals(before, w.mem().zeroFolio().refcount(), "the zero page is never pinned");
        w.gup().unpinUserPages(pages, 1);
        assertEquals(before, w.mem().zeroFolio().refcount());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void forceWriteToReadOnlyPrivateMappingBreaksCowWithoutMakingItWritable() {
        long a = t.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        t.mm().mmapLock().downRead(w.vm().cpu());
        Page[] pages = new Page[1];
        GupResult noForce = w.gup().getUserPages(t.mm(), a, 1, EnumSet.of(Foll.WRITE), pages);
        GupResult force = w.gup().getUserPages(t.mm(), a, 1, EnumSet.of(Foll.WRITE, Foll.FORCE), pages);
        t.mm().mmapLock().upRead(w.vm().cpu());
        assertEquals(Errno.EFAULT, noForce.errno());
        assertEquals(1, force.ret(), force.toString());
        assertTrue(pages[0].pageAnonExclusive());
        Walk walk = t.mm().pageTables().walk(a, new Walk(), "test");
        assertFalse(t.mm().pageTables().format().leafWrite(Level.PTE, walk.entry),
                "FOLL_FORCE must not make a PROT_READ mapping writable");
        w.gup().putPages(pages, 1);
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void partialSuccessKeepsTheFastPins() {
        long a = touchedAnon(t, 4 * PAGE, true);
        assertEquals(0, t.munmap(a + 2 * PAGE, 2 * PAGE));
        Page[] pages = new Page[4];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 4, EnumSet.of(Foll.WRITE), pages);
        assertEquals(2, r.ret(), "progress wins over the error: " + r);
        assertEquals(2, r.fastPinned());
        unpinAndTearDown(pages, 2);
    }

    @Test
    void nothingMappedGivesEfault() {
        Page[] pages = new Page[1];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), 0x10000000L, 1, EnumSet.of(Foll.WRITE), pages);
        assertEquals(Errno.EFAULT, r.errno());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void secretmemIsRefusedOnBothPaths() {
        for (String k : List.of("6.4", "6.5", "latest")) {
            boot(k, MemConfig.ofBytes(12, 64L << 20));
            OpenFile f = w.vfs().memfdSecret();
            assertNull(w.vfs().ftruncate(f, PAGE));
            long a = t.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
            t.touch(a, PAGE, true);
            Page[] pages = new Page[1];
            GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 1, EnumSet.noneOf(Foll.class), pages);
            assertEquals(Errno.EFAULT, r.errno(), k + ": " + r);
            w.vfs().fput(f);
            assertEquals(List.of(), w.teardown(), k);
        }
    }

    @Test
    void anonymousThpIsPinnedAsOneLargeFolio() {
        long len = 4L << 20;
        long a = anon(t, len);
        assertEquals(0, t.madvise(a, len, MADV_HUGEPAGE));
        t.touch(a, len, true);
        Page[] pages = new Page[1024];
        GupResult r = w.gup().pinUserPagesFast(t.mm(), a, 1024, WRITE_LONGTERM, pages);
        assertEquals(1024, r.ret());
        assertEquals(9, pages[0].folio().order());
        assertSame(pages[0].folio(), pages[511].folio());
        assertNotSame(pages[0].folio(), pages[512].folio());
        w.gup().unpinUserPages(pages, 1024);
        // A partial munmap splits the huge mapping and frees nothing still mapped.
        assertEquals(0, t.munmap(a + PAGE, PAGE));
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void munmapFreesThePageTablesThatServedOnlyThatRange() {
        int before = t.mm().pageTables().tablesLive();
        long a = touchedAnon(t, 4 * PAGE, true);
        assertTrue(t.mm().pageTables().tablesLive() > before);
        assertEquals(0, t.munmap(a, 4 * PAGE));
        assertEquals(before, t.mm().pageTables().tablesLive());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void fastOnlyNeverFallsBack() {
        long a = anon(t, 2 * PAGE);
        t.touch(a, PAGE, true);
        Page[] pages = new Page[2];
        GupResult r = w.gup().getUserPagesFastOnly(t.mm(), a, 2, EnumSet.noneOf(Foll.class), pages);
        assertEquals(1, r.ret());
        assertEquals(GupResult.Path.FAST, r.path());
        w.gup().putPages(pages, 1);
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void ioUringUnwindsEveryBufferWhenOneFails() {
        long good = touchedAnon(t, 2 * PAGE, true);
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.XFS), "x", PAGE);
        long bad = t.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
        t.touch(bad, PAGE, true);
        var ring = w.ioUring(t);
        PinOutcome o = ring.register(new long[] {good, bad}, new long[] {2 * PAGE, PAGE});
        assertEquals(Errno.EFAULT, o.errno());
        assertEquals(0, ring.accountedPages());
        assertEquals(0, t.userLockedVm());
        assertEquals(w.gup().pinsAcquired(), w.gup().pinsReleased(), "the good buffer's pins were undone");
        w.vfs().fput(f);
        w.vfs().unlink("x");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void vfioChargesLockedVmAndRespectsRlimitMemlock() {
        long a = anon(t, 8 * PAGE);
        t.setRlimitMemlock(4 * PAGE);
        var vfio = w.vfio(t);
        Page[] pages = new Page[8];
        PinOutcome over = vfio.vfioPinPagesRemote(a, 8, true, pages);
        assertEquals(Errno.ENOMEM, over.errno());
        assertEquals(0, t.mm().lockedVm());
        PinOutcome ok = vfio.vfioPinPagesRemote(a, 4, true, pages);
        assertEquals(4, ok.ret());
        assertEquals(4, t.mm().lockedVm());
        vfio.vfioUnpinPagesRemote(pages, 4, true);
        assertTrue(pages[0].folio().dirty());
        assertEquals(0, t.mm().lockedVm());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void theSeedPatchesSlowPathRefusedShmemAndLetExt4Through() {
        // As posted in v6, writeable_file_mapping_allowed() lacked its negation (spec §4; review
        // of 2 May 2023). The slow path therefore refused shared shmem and allowed shared ext4.
        boot("v6-patch", MemConfig.ofBytes(12, 64L << 20));
        OpenFile shm = w.vfs().create(w.vfs().mount(FsType.SHMEM), "s", PAGE);
        OpenFile ext = w.vfs().create(w.vfs().mount(FsType.EXT4), "e", PAGE);
        long as = t.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0);
        long ae = t.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ext, 0);
        Page[] pages = new Page[1];
        t.mm().mmapLock().downRead(w.vm().cpu());
        GupResult rs = w.gup().pinUserPages(t.mm(), as, 1, WRITE_LONGTERM, pages);
        GupResult re = w.gup().pinUserPages(t.mm(), ae, 1, WRITE_LONGTERM, pages);
        t.mm().mmapLock().upRead(w.vm().cpu());
        assertEquals(Errno.EFAULT, rs.errno(), rs.toString());
        assertEquals(1, re.ret(), re.toString());
        w.gup().unpinUserPages(pages, 1);
        w.vfs().fput(shm);
        w.vfs().fput(ext);
        w.vfs().unlink("s");
        w.vfs().unlink("e");
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void javaMisuseIsAnIllegalArgumentNamingTheArgument() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> w.gup().pinUserPagesFast(t.mm(), 0, -1, EnumSet.noneOf(Foll.class), new Page[1]));
        assertTrue(e.getMessage().contains("nrPages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w.gup().pinUserPagesFast(t.mm(), 0, 4, EnumSet.noneOf(Foll.class), new Page[1]));
        assertTrue(e.getMessage().contains("pages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> w.gup().pinUserPages(t.mm(), 0, 1, EnumSet.noneOf(Foll.class), new Page[1]));
        assertTrue(e.getMessage().contains("mmap_lock"), e.getMessage());
    }

    @Test
    void hugetlbfsFileNeedsHugeAlignedTruncate() {
        OpenFile f = w.vfs().create(new Filesystem(FsType.HUGETLBFS, false, 21), "h", 0);
        assertEquals(Errno.EINVAL, w.vfs().ftruncate(f, PAGE));
        assertNull(w.vfs().ftruncate(f, 2L << 20));
        w.vfs().fput(f);
        w.vfs().unlink("h");
        assertEquals(List.of(), w.teardown());
    }
}
