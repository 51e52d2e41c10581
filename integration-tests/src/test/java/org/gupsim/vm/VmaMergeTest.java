package org.gupsim.vm;

import static org.gupsim.vm.VmFlags.MADV_COLLAPSE;
import static org.gupsim.vm.VmFlags.MADV_HUGEPAGE;
import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_FIXED;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.fs.OpenFile;
import org.gupsim.gup.KernelVersion;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.Walk;
import org.gupsim.scenario.World;
import org.gupsim.testkit.Worlds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VMA merging as mm/vma.c does it (vma_merge_new_range() for mmap, vma_merge_existing_range()
 * for mprotect and MADV_HUGEPAGE): adjacent VMAs with the same flags, the same file at contiguous
 * offsets (anonymous: contiguous addresses) and compatible anon_vmas become one, which changes
 * what a THP fault and MADV_COLLAPSE can do, as both need one VMA over the PMD range.
 */
class VmaMergeTest {
    private static final long PAGE = 4096;
    private static final long PMD = 2L << 20;
    private static final long X = 8 * PMD;
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final int ANON = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;

    private World w;
    private Task t;
    private final List<OpenFile> files = new ArrayList<>();

    @BeforeEach
    void boot() {
        w = Worlds.boot("x86_64", KernelVersion.LATEST, 64L << 20);
        t = w.newTask();
    }

    @AfterEach
    void tornDownClean() {
        files.forEach(f -> w.vfs().fput(f));
        assertEquals(List.of(), w.checkAccounting());
        assertEquals(List.of(), w.teardown());
    }

    /** The VMAs as "start-end" strings, in address order. */
    private List<String> vmas() {
        List<String> out = new ArrayList<>();
        for (Vma v : t.mm().vmaTree().values()) {
            out.add(Long.toHexString(v.vmStart()) + "-" + Long.toHexString(v.vmEnd()));
        }
        return out;
    }

    private static String range(long start, long end) {
        return Long.toHexString(start) + "-" + Long.toHexString(end);
    }

    private Level leafLevel(long addr) {
        Walk p = t.mm().pageTables().peekWalk(addr, new Walk());
        return p.leafPresent ? p.level : null;
    }

    private OpenFile memfd(long size) {
        OpenFile f = w.vfs().memfdCreate("merge", 0, 0);
        assertEquals(null, w.vfs().ftruncate(f, size));
        files.add(f);
        return f;
    }

    @Test
    void twoAdjacentAnonymousMappingsBecomeOneVmaAndATHPFaultMapsAPmd() {
        assertEquals(X, t.mmap(X, PMD / 2, RW, ANON, null, 0));
        assertEquals(X + PMD / 2, t.mmap(X + PMD / 2, PMD / 2, RW, ANON, null, 0));
        assertEquals(List.of(range(X, X + PMD)), vmas(), "vma_merge_new_range() expands the first");
        assertEquals(0, t.madvise(X, PMD, MADV_HUGEPAGE));
        assertEquals(0, t.touch(X + 5 * PAGE, PAGE, true));
        assertEquals(Level.PMD, leafLevel(X), "one VMA covers the PMD range: do_huge_pmd_anonymous_page()");
    }

    @Test
    void aNewMappingBetweenTwoJoinsBothUnlessTheirAnonVmasDiffer() {
        assertEquals(X, t.mmap(X, PMD, RW, ANON, null, 0));
        assertEquals(X + 2 * PMD, t.mmap(X + 2 * PMD, PMD, RW, ANON, null, 0));
        assertEquals(X + PMD, t.mmap(X + PMD, PMD, RW, ANON, null, 0));
        assertEquals(List.of(range(X, X + 3 * PMD)), vmas(), "prev grows over the range and next");

        assertEquals(0, t.munmap(X, 3 * PMD));
        assertEquals(X, t.mmap(X, PMD, RW, ANON, null, 0));
        assertEquals(X + 2 * PMD, t.mmap(X + 2 * PMD, PMD, RW, ANON, null, 0));
        assertEquals(0, t.touch(X, PAGE, true));
        assertEquals(0, t.touch(X + 2 * PMD, PAGE, true));
        assertEquals(X + PMD, t.mmap(X + PMD, PMD, RW, ANON, null, 0));
        assertEquals(List.of(range(X, X + 2 * PMD), range(X + 2 * PMD, X + 3 * PMD)), vmas(),
                "prev's and next's anon_vmas differ: only the left merge (can_vma_merge_right())");
    }

    @Test
    void mprotectBackToTheNeighboursFlagsMergesAgain() {
        assertEquals(X, t.mmap(X, 3 * PMD, RW, ANON, null, 0));
        assertEquals(0, t.touch(X, 3 * PMD, true));
        assertEquals(0, t.mprotect(X + PMD, PMD, PROT_READ));
        assertEquals(List.of(range(X, X + PMD), range(X + PMD, X + 2 * PMD), range(X + 2 * PMD, X + 3 * PMD)),
                vmas());
        assertEquals(0, t.mprotect(X + PMD, PMD, RW));
        assertEquals(List.of(range(X, X + 3 * PMD)), vmas(), "merged with both neighbours");
        // Part of a VMA: the first page of the read-only part joins the one before it.
        assertEquals(0, t.mprotect(X + PMD, PMD, PROT_READ));
        assertEquals(0, t.mprotect(X + PMD, PAGE, RW));
        assertEquals(List.of(range(X, X + PMD + PAGE), range(X + PMD + PAGE, X + 2 * PMD),
                range(X + 2 * PMD, X + 3 * PMD)), vmas(), "prev grows, the read-only VMA shrinks");
        assertEquals(0, t.touch(X + PMD, PAGE, true), "the page is writable again");
    }

    @Test
    void madviseHugepageOfTwoHalvesMakesOneVmaThatMadvCollapseCanCollapse() {
        assertEquals(X, t.mmap(X, PMD, RW, ANON, null, 0));
        assertEquals(0, t.touch(X, PMD, true));
        assertEquals(0, t.madvise(X, PMD / 2, MADV_HUGEPAGE));
        assertEquals(List.of(range(X, X + PMD / 2), range(X + PMD / 2, X + PMD)), vmas());
        assertEquals(0, t.madvise(X + PMD / 2, PMD / 2, MADV_HUGEPAGE));
        assertEquals(List.of(range(X, X + PMD)), vmas(), "the second half joins the first");
        assertEquals(0, t.madvise(X, PMD, MADV_COLLAPSE));
        assertEquals(Level.PMD, leafLevel(X));
    }

    @Test
    void fileMappingsMergeOnlyAtContiguousOffsetsOfTheSameFile() {
        OpenFile f = memfd(4 * PMD);
        OpenFile g = memfd(4 * PMD);
        assertEquals(X, t.mmap(X, PMD, RW, MAP_SHARED | MAP_FIXED, f, 0));
        assertEquals(X + PMD, t.mmap(X + PMD, PMD, RW, MAP_SHARED | MAP_FIXED, f, PMD));
        assertEquals(List.of(range(X, X + 2 * PMD)), vmas(), "the same file at the next offset");
        assertEquals(X + 2 * PMD, t.mmap(X + 2 * PMD, PMD, RW, MAP_SHARED | MAP_FIXED, f, 3 * PMD));
        assertEquals(X + 3 * PMD, t.mmap(X + 3 * PMD, PMD, RW, MAP_SHARED | MAP_FIXED, g, 3 * PMD));
        assertEquals(List.of(range(X, X + 2 * PMD), range(X + 2 * PMD, X + 3 * PMD), range(X + 3 * PMD, X + 4 * PMD)),
                vmas(), "a gap in the offsets, then another file: no merge");
        assertEquals(0, t.touch(X, 4 * PMD, true));
        Vma first = t.mm().vmaLookup(X + PMD);
        assertEquals(PMD / PAGE, first.linearPageIndex(X + PMD), "the merged VMA keeps the offsets");
    }
}
