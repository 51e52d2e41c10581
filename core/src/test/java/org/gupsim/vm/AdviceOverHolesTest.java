package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_DONTNEED;
import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MADV_PAGEOUT;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_EXEC;
import static org.gupsim.vm.VmFlags.PROT_GROWSDOWN;
import static org.gupsim.vm.VmFlags.PROT_GROWSUP;
import static org.gupsim.vm.VmFlags.PROT_NONE;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_SEM;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gupsim.arch.toy.Toy;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.junit.jupiter.api.Test;

/**
 * madvise() and mprotect() over ranges with unmapped parts, as mm/madvise.c
 * {@code madvise_walk_vmas()} and mm/mprotect.c {@code do_mprotect_pkey()} treat them: madvise
 * advises every mapped part and then says -ENOMEM; mprotect changes the VMAs before the first
 * hole and then says -ENOMEM, and nothing when the range starts in one. mprotect's argument
 * checks come in the kernel's order.
 */
class AdviceOverHolesTest {
    private static final long PAGE = Toy.PAGE;
    /** Three pages mapped at A, A + 2 pages (the middle one unmapped), nothing below A. */
    private static final long A = 0x4000_0000L;
    private static final long ENOMEM = Errno.ENOMEM.negative();
    private static final long EINVAL = Errno.EINVAL.negative();
    private static final long EACCES = Errno.EACCES.negative();

    private final World w = Toy.boot(KernelVersion.LATEST, 64);

    private static Folio mapped(Task t, long addr) {
        PageTables pt = t.mm().pageTables();
        Walk walk = pt.peekWalk(addr, new Walk());
        return walk.leafPresent ? t.vm().mem().pfnToPage(pt.format().leafPfn(walk.level, walk.entry)).folio() : null;
    }

    /** Pages at A and A + 2 pages, touched; the page between them unmapped. */
    private Task withHole() {
        Task t = w.newTask();
        assertEquals(A, t.mmap(A, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0));
        assertEquals(0, t.munmap(A + PAGE, PAGE));
        assertEquals(0, t.touch(A, PAGE, true));
        assertEquals(0, t.touch(A + 2 * PAGE, PAGE, true));
        return t;
    }

    /** madvise({@code advice}) over both pages and the hole: -ENOMEM, and both folios freed. */
    private static void adviseAcrossTheHoleFreesBothSides(Task t, int advice, String why) {
        Folio first = mapped(t, A);
        Folio last = mapped(t, A + 2 * PAGE);
        assertEquals(ENOMEM, t.madvise(A, 3 * PAGE, advice));
        assertTrue(first.freed() && last.freed(), why);
    }

    private static long flags(Task t, long addr) {
        return t.mm().vmaLookup(addr).flags();
    }

    private void clean() {
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    @Test
    void dontneedZapsBothSidesOfAHoleThenSaysEnomem() {
        Task t = withHole();
        adviseAcrossTheHoleFreesBothSides(t, MADV_DONTNEED, "both mapped parts were zapped");
        assertNull(mapped(t, A));
        assertNull(mapped(t, A + 2 * PAGE));
        clean();
    }

    @Test
    void aRangeStartingInAHoleIsAdvisedFromTheFirstVma() {
        Task t = withHole();
        Folio first = mapped(t, A);
        assertEquals(ENOMEM, t.madvise(A - PAGE, 2 * PAGE, MADV_DONTNEED));
        assertTrue(first.freed());
        assertNotNull(mapped(t, A + 2 * PAGE), "past the range: untouched");
        // Wholly unmapped: in the hole, below every VMA, above every VMA.
        assertEquals(ENOMEM, t.madvise(A + PAGE, PAGE, MADV_DONTNEED));
        assertEquals(ENOMEM, t.madvise(A - 2 * PAGE, PAGE, MADV_HUGEPAGE));
        assertEquals(ENOMEM, t.madvise(A + 3 * PAGE, PAGE, MADV_PAGEOUT));
        assertNotNull(mapped(t, A + 2 * PAGE));
        assertEquals(0, flags(t, A + 2 * PAGE) & VmFlags.VM_HUGEPAGE);
        clean();
    }

    @Test
    void pageoutAndHugepageAlsoActOnEveryMappedPart() {
        Task t = withHole();
        adviseAcrossTheHoleFreesBothSides(t, MADV_PAGEOUT, "both went to swap");
        assertEquals(ENOMEM, t.madvise(A, 4 * PAGE, MADV_HUGEPAGE));
        assertTrue((flags(t, A) & VmFlags.VM_HUGEPAGE) != 0);
        assertTrue((flags(t, A + 2 * PAGE) & VmFlags.VM_HUGEPAGE) != 0);
        clean();
    }

    @Test
    void mprotectChangesTheVmasBeforeTheHoleThenSaysEnomem() {
        Task t = withHole();
        assertEquals(ENOMEM, t.mprotect(A, 3 * PAGE, PROT_READ));
        assertEquals(VmFlags.VM_READ, flags(t, A) & VmFlags.VM_ACCESS_FLAGS, "before the hole: changed");
        assertEquals(VmFlags.VM_READ | VmFlags.VM_WRITE, flags(t, A + 2 * PAGE) & VmFlags.VM_ACCESS_FLAGS,
                "after the hole: not reached");
        // A range that starts in a hole changes nothing.
        assertEquals(ENOMEM, t.mprotect(A + PAGE, 2 * PAGE, PROT_NONE));
        assertEquals(VmFlags.VM_READ | VmFlags.VM_WRITE, flags(t, A + 2 * PAGE) & VmFlags.VM_ACCESS_FLAGS);
        // A range that runs past the last VMA changes it, then says -ENOMEM.
        assertEquals(ENOMEM, t.mprotect(A + 2 * PAGE, 2 * PAGE, PROT_READ));
        assertEquals(VmFlags.VM_READ, flags(t, A + 2 * PAGE) & VmFlags.VM_ACCESS_FLAGS);
        assertEquals(0, t.touch(A + 2 * PAGE, PAGE, false));
        assertEquals(Errno.EFAULT.negative(), t.touch(A + 2 * PAGE, PAGE, true), "now read-only");
        clean();
    }

    @Test
    void mprotectRefusesAVmaItMayNotWriteAfterChangingTheOnesBefore() {
        Task t = w.newTask();
        OpenFile f = w.vfs().create(w.vfs().mount(FsType.EXT4), "ro", PAGE);
        w.vfs().fput(f);
        OpenFile ro = w.vfs().open("ro", false);
        assertEquals(A, t.mmap(A, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, null, 0));
        assertEquals(A + PAGE, t.mmap(A + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, ro, 0));
        w.vfs().fput(ro);
        assertEquals(EACCES, t.mprotect(A, 2 * PAGE, PROT_READ | PROT_WRITE));
        assertEquals(VmFlags.VM_READ | VmFlags.VM_WRITE, flags(t, A) & VmFlags.VM_ACCESS_FLAGS,
                "the VMA before the refused one keeps its new protection");
        assertEquals(VmFlags.VM_READ, flags(t, A + PAGE) & VmFlags.VM_ACCESS_FLAGS);
        assertEquals(0, t.munmap(A, 2 * PAGE));
        assertEquals(null, w.vfs().unlink("ro"));
        clean();
    }

    /**
     * do_mprotect_pkey()'s order: both grow bits, start alignment (-EINVAL), a zero length (0),
     * a wrapping length (-ENOMEM), arch_validate_prot() (-EINVAL), then the VMAs.
     */
    @Test
    void mprotectChecksItsArgumentsInTheKernelsOrder() {
        Task t = withHole();
        int bad = 0x40;
        assertEquals(EINVAL, t.mprotect(A + 1, 0, PROT_GROWSDOWN | PROT_GROWSUP | PROT_READ), "both grow bits first");
        assertEquals(EINVAL, t.mprotect(A + 1, 0, bad), "start alignment before len");
        assertEquals(0, t.mprotect(A, 0, bad), "a zero length before prot");
        assertEquals(0, t.mprotect(A + PAGE, 0, PROT_READ), "a zero length before the VMAs");
        assertEquals(ENOMEM, t.mprotect(A, -PAGE, bad), "a wrapping length before prot");
        assertEquals(EINVAL, t.mprotect(A + PAGE, PAGE, bad), "prot before the VMAs");
        assertEquals(ENOMEM, t.mprotect(A + PAGE, PAGE, PROT_READ));
        assertEquals(0, t.mprotect(A, PAGE, PROT_READ | PROT_SEM), "PROT_SEM is accepted");
        assertEquals(EINVAL, t.mprotect(A, PAGE, PROT_READ | PROT_GROWSUP), "no VM_GROWSUP VMA");
        assertEquals(EINVAL, t.mprotect(A, PAGE, PROT_READ | PROT_GROWSDOWN), "not a VM_GROWSDOWN VMA");
        assertEquals(ENOMEM, t.mprotect(A + PAGE, PAGE, PROT_READ | PROT_GROWSDOWN), "no VMA in the range");
        assertEquals(VmFlags.VM_READ, flags(t, A) & VmFlags.VM_ACCESS_FLAGS);
        assertEquals(0, t.mprotect(A, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC));
        clean();
    }

    /**
     * madvise_dontneed_free_valid_vma() for hugetlb (5.18 on; rounding down from 8ebe0a5eaaeb's
     * data-loss fix): the start must be aligned to the huge page size, the end is rounded down.
     */
    @Test
    void dontneedOfHugetlbNeedsAnAlignedStartAndRoundsTheEndDown() {
        Task t = w.newTask();
        long addr = t.mmap(0, 2 * Toy.HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | VmFlags.MAP_HUGETLB,
                null, 0);
        assertTrue(addr > 0);
        assertEquals(0, t.touch(addr, 2 * Toy.HUGE, true));
        Folio first = mapped(t, addr);
        Folio second = mapped(t, addr + Toy.HUGE);
        assertEquals(EINVAL, t.madvise(addr + PAGE, Toy.HUGE, MADV_DONTNEED));
        assertEquals(0, t.madvise(addr + Toy.HUGE, PAGE, MADV_DONTNEED), "rounded down to nothing");
        assertEquals(second, mapped(t, addr + Toy.HUGE));
        assertEquals(0, t.madvise(addr, Toy.HUGE + PAGE, MADV_DONTNEED));
        assertNull(mapped(t, addr));
        assertTrue(first.freed());
        assertEquals(second, mapped(t, addr + Toy.HUGE), "the end was rounded down: the second page stays");
        clean();
    }
}
