package org.gupsim.check;

import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.gupsim.gup.KernelVersion;
import org.gupsim.arch.toy.Toy;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.Foll;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.vm.Task;
import org.junit.jupiter.api.Test;

/**
 * The pin-lost check on its own, in direct mode: a pin the user unmaps (munmap, MAP_FIXED over it,
 * MADV_DONTNEED, truncation) is not a violation; a page the kernel replaces behind a held pin is.
 */
class PinLostCheckTest {
    private static final long LEN = 4 << 12;

    private final World w = Toy.boot(KernelVersion.LATEST, 64);
    private final Task task = w.newTask();
    private final PinLostCheck check = new PinLostCheck(w.mem());
    private final Page[] pages = new Page[1];

    private long anon() {
        long addr = task.mmap(0, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertEquals(0, task.touch(addr, LEN, true));
        return addr;
    }

    /** Pins one page with pin_user_pages_fast() and records it; the pin stays held. */
    private void pin(long addr, Set<Foll> flags) {
        assertEquals(1, w.gup().pinUserPagesFast(task.mm(), addr, 1, flags, pages).ret());
        check.pinned(task.mm(), addr, pages, 1);
    }

    private List<Violation> checkAndUnpin() {
        List<Violation> out = check.check();
        w.gup().unpinUserPages(pages, 1);
        return out;
    }

    /** The end of a test whose pin was not lost: nothing reported, and teardown leaks nothing. */
    private void assertKeptAndTearDown() {
        assertEquals(List.of(), checkAndUnpin());
        assertEquals(List.of(), w.teardown());
    }

    /** Maps all of {@code f} with {@code flags} and touches it (writing if {@code write}). */
    private long mapFile(OpenFile f, int flags, boolean write) {
        long addr = task.mmap(0, LEN, PROT_READ | PROT_WRITE, flags, f, 0);
        assertEquals(0, task.touch(addr, LEN, write));
        return addr;
    }

    /** Unmaps {@code f}, drops the file (unlinking {@code name} if it has one) and checks teardown. */
    private void closeAndTearDown(long addr, OpenFile f, String name) {
        assertEquals(0, task.munmap(addr, LEN));
        w.vfs().fput(f);
        if (name != null) {
            w.vfs().unlink(name);
        }
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void aPinWhoseMappingIsUntouchedIsKept() {
        pin(anon(), EnumSet.of(Foll.WRITE));
        assertKeptAndTearDown();
    }

    @Test
    void munmapIsTheUsersChoiceNotALostPin() {
        long addr = anon();
        pin(addr, EnumSet.of(Foll.WRITE));
        assertEquals(0, task.munmap(addr, LEN));
        assertKeptAndTearDown();
    }

    @Test
    void mapFixedOverThePinnedPageIsTheUsersChoice() {
        long addr = anon();
        pin(addr, EnumSet.of(Foll.WRITE));
        assertEquals(addr, task.mmap(addr, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                null, 0));
        assertEquals(0, task.touch(addr, LEN, true));
        assertKeptAndTearDown();
    }

    @Test
    void madvDontneedIsTheUsersChoiceEvenThoughTheNextTouchGetsANewPage() {
        long addr = anon();
        pin(addr, EnumSet.of(Foll.WRITE));
        assertEquals(0, task.madvise(addr, LEN, MADV_DONTNEED));
        assertEquals(0, task.touch(addr, LEN, true));
        assertKeptAndTearDown();
    }

    @Test
    void truncatingAPinnedFilePageIsTheUsersChoice() {
        OpenFile f = w.vfs().memfdCreate("pinned", 0, 0);
        w.vfs().ftruncate(f, LEN);
        long addr = mapFile(f, MAP_SHARED, true);
        pin(addr, EnumSet.of(Foll.WRITE, Foll.LONGTERM));
        w.vfs().ftruncate(f, 0);
        w.vfs().ftruncate(f, LEN);
        assertEquals(List.of(), checkAndUnpin());
        closeAndTearDown(addr, f, null);
    }

    @Test
    void aFileMappingWhosePteWasDroppedStillReachesThePageCachePage() {
        // Nothing mapped, but a fault would map the very page pinned: nothing is lost.
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.SHMEM), "kept", LEN);
        long addr = mapFile(f, MAP_SHARED, true);
        pin(addr, EnumSet.of(Foll.WRITE));
        w.vm().rmap().unmapMappingRange(f.inode().mapping(), 0, 1, false);
        // unmapMappingRange is what truncation uses, so it counts as the user's; ask again with a
        // fresh record taken after it: the PTE is gone, the page-cache page is the pinned one.
        check.check();
        check.pinned(task.mm(), addr, pages, 1);
        assertEquals(List.of(), checkAndUnpin());
        closeAndTearDown(addr, f, "kept");
    }

    @Test
    void aCopyOnWriteBehindAReadOnlyPinIsALostPin() {
        // A short-term read-only FOLL_PIN of a private file mapping pins the page-cache page (only
        // FOLL_LONGTERM makes GUP unshare first); the process's next write copies the page, and the
        // address now reaches the copy: the kernel replaced the page behind the pin.
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "cow", LEN);
        long addr = mapFile(f, MAP_PRIVATE, false);
        pin(addr, EnumSet.noneOf(Foll.class));
        assertEquals(0, task.touch(addr, LEN, true));
        List<Violation> lost = checkAndUnpin();
        assertEquals(1, lost.size(), lost.toString());
        assertEquals(ViolationKind.PIN_LOST, lost.get(0).kind());
        assertTrue(lost.get(0).message().contains("0x" + Long.toHexString(addr)), lost.get(0).message());
        closeAndTearDown(addr, f, "cow");
    }

    @Test
    void theZeroPageIsNeverReported() {
        long addr = task.mmap(0, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, null, 0);
        assertEquals(0, task.touch(addr, LEN, false));
        assertEquals(1, w.gup().pinUserPagesFast(task.mm(), addr, 1, EnumSet.noneOf(Foll.class), pages).ret());
        check.pinned(task.mm(), addr, pages, 1);
        assertEquals(0, task.touch(addr, LEN, true));
        assertKeptAndTearDown();
    }

    @Test
    void misuseIsRefusedNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.pinned(null, 0, pages, 1));
        assertTrue(e.getMessage().contains("mm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> check.pinned(task.mm(), 0, pages, 2));
        assertTrue(e.getMessage().contains("n must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PinLostCheck(null));
        assertTrue(e.getMessage().contains("mem"), e.getMessage());
    }
}
