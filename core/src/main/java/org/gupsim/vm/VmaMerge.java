package org.gupsim.vm;

import java.util.Map;
import org.gupsim.fs.OpenFile;

/**
 * Merging a new or changed VMA with compatible neighbours. Mirrors mm/vma.c (6.12 and later; the
 * same rules lived in mm/mmap.c {@code vma_merge()} before): {@code vma_merge_new_range()} and
 * {@code vma_expand()} for mmap, {@code vma_merge_existing_range()} for mprotect and madvise's
 * flag changes ({@code vma_modify_flags()}), with {@code is_mergeable_vma()},
 * {@code is_mergeable_anon_vma()}, {@code can_vma_merge_before()} / {@code _after()} and
 * {@code dup_anon_vma()}.
 *
 * <p>Two VMAs merge when they touch, have the same flags (the kernel ignores VM_SOFTDIRTY, which
 * gupsim does not have), map the same open file at contiguous offsets (anonymous VMAs' offsets are
 * their addresses in pages), and their anon_vmas are compatible: the same, or one of them none
 * while the other VMA's chain is a single anon_vma ("avoid merging VMA cloned from parents").
 * Special VMAs ({@code VM_SPECIAL}: VM_IO, VM_DONTEXPAND, hence every hugetlb VMA, VM_PFNMAP,
 * VM_MIXEDMAP) never merge. Memory policies, userfaultfd contexts and anon_vma names are all
 * equal in gupsim; no mergeable VMA has a {@code vm_ops->close} hook, so
 * {@code can_merge_remove_vma()} always holds.
 */
final class VmaMerge extends VmPart {
    /** {@code VM_SPECIAL}. */
    static final long VM_SPECIAL = VmFlags.VM_IO | VmFlags.VM_DONTEXPAND | VmFlags.VM_PFNMAP | VmFlags.VM_MIXEDMAP;

    private final Mmap mmap;

    VmaMerge(Vm vm, Mmap mmap) {
        super(vm);
        this.mmap = mmap;
    }

    /** Mirrors {@code is_mergeable_vma()}. */
    private static boolean isMergeableVma(Vma vma, long flags, OpenFile file) {
        return vma.flags() == flags && vma.file() == file;
    }

    /**
     * Mirrors {@code is_mergeable_anon_vma()}: compatible when one is none and {@code vma} (if
     * given) has a single anon_vma in its chain, or when both are the same.
     */
    private static boolean isMergeableAnonVma(AnonVma a1, AnonVma a2, Vma vma) {
        if ((a1 == null || a2 == null) && (vma == null || vma.anonVmaChain().size() == 1)) {
            return true;
        }
        return a1 == a2;
    }

    private static long pages(Mm mm, long len) {
        return len >>> mm.pageShift();
    }

    /** Mirrors {@code can_vma_merge_before()}: the range may be merged in front of {@code next}. */
    private static boolean canMergeBefore(Vma next, long start, long end, long flags, OpenFile file, AnonVma anon,
                                          long pgoff) {
        return isMergeableVma(next, flags, file) && isMergeableAnonVma(anon, next.anonVma(), next)
                && next.vmPgoff() == pgoff + pages(next.mm(), end - start);
    }

    /** Mirrors {@code can_vma_merge_after()}: the range may be merged after {@code prev}. */
    private static boolean canMergeAfter(Vma prev, long flags, OpenFile file, AnonVma anon, long pgoff) {
        return isMergeableVma(prev, flags, file) && isMergeableAnonVma(anon, prev.anonVma(), prev)
                && prev.vmPgoff() + pages(prev.mm(), prev.vmEnd() - prev.vmStart()) == pgoff;
    }

    /** Mirrors {@code can_vma_merge_left()}. */
    private static boolean canMergeLeft(Vma prev, long start, long flags, OpenFile file, AnonVma anon, long pgoff) {
        return prev != null && prev.vmEnd() == start && canMergeAfter(prev, flags, file, anon, pgoff);
    }

    /**
     * Mirrors {@code can_vma_merge_right()}: also, when merging left as well, prev's and next's
     * anon_vmas must be compatible with each other ({@code are_anon_vmas_compatible()}).
     */
    private static boolean canMergeRight(Vma prev, Vma next, long start, long end, long flags, OpenFile file,
                                         AnonVma anon, long pgoff, boolean canMergeLeft) {
        if (next == null || end != next.vmStart() || !canMergeBefore(next, start, end, flags, file, anon, pgoff)) {
            return false;
        }
        return !canMergeLeft || isMergeableAnonVma(prev.anonVma(), next.anonVma(), null);
    }

    private static Vma prevOf(Mm mm, long addr) {
        Map.Entry<Long, Vma> e = mm.vmaTree().lowerEntry(addr);
        return e == null ? null : e.getValue();
    }

    private static Vma nextFrom(Mm mm, long addr) {
        Map.Entry<Long, Vma> e = mm.vmaTree().ceilingEntry(addr);
        return e == null ? null : e.getValue();
    }

    /**
     * Mirrors {@code vma_merge_new_range()} → {@code vma_expand()}: a new mapping of
     * {@code [start, end)} (a free range) with {@code flags}, {@code file} and {@code pgoff} is
     * merged into the VMA just before and/or just after it if they are compatible; when both are,
     * the previous one grows over the range and the next one, which goes.
     *
     * @return the expanded VMA, or null when no merge is possible (the caller makes a new VMA)
     */
    Vma mergeNewRange(Mm mm, long start, long end, long flags, OpenFile file, long pgoff) {
        Vma prev = prevOf(mm, start);
        Vma next = nextFrom(mm, end);
        if ((flags & VM_SPECIAL) != 0 || (prev == null && next == null)) {
            return null;
        }
        boolean left = canMergeLeft(prev, start, flags, file, null, pgoff);
        boolean right = canMergeRight(prev, next, start, end, flags, file, null, pgoff, left);
        if (!left && !right) {
            return null;
        }
        Vma vma = left ? prev : next;
        long newStart = left ? prev.vmStart() : start;
        long newEnd = right ? next.vmEnd() : end;
        long newPgoff = left ? prev.vmPgoff() : next.vmPgoff() - pages(mm, end - start);
        mm.vmaStartWrite(vma);
        Vma remove = null;
        if (left && right) {
            remove = next;
            mm.vmaStartWrite(next);
            dupAnonVma(vma, next);
        }
        commit(mm, vma, newStart, newEnd, newPgoff, remove, null);
        return vma;
    }

    /**
     * Mirrors {@code vma_merge_existing_range()}: {@code [start, end)} of {@code vma} is about to
     * get {@code newFlags}. If the range starts at the VMA's start and the previous VMA is
     * compatible, or ends at its end and the next one is, the range joins them: the neighbour grows
     * over it, and {@code vma} shrinks (its huge PMD at the new boundary split first, as
     * {@code vma_adjust_trans_huge()} does) or, covered whole, goes (with the next VMA too when both
     * sides merge). The caller write-locks the result and sets its flags as when splitting.
     *
     * @return the VMA now covering the range, or null when no merge is possible (the caller splits)
     */
    Vma mergeExistingRange(Mm mm, Vma vma, long start, long end, long newFlags) {
        boolean leftSide = start == vma.vmStart();
        boolean rightSide = end == vma.vmEnd();
        if ((newFlags & VM_SPECIAL) != 0 || (!leftSide && !rightSide)) {
            return null;
        }
        Vma prev = prevOf(mm, vma.vmStart());
        AnonVma anon = vma.anonVma();
        OpenFile file = vma.file();
        long pgoff = vma.vmPgoff() + pages(mm, start - vma.vmStart());
        boolean mergeLeft = leftSide && canMergeLeft(prev, start, newFlags, file, anon, pgoff);
        Vma next = rightSide ? nextFrom(mm, vma.vmEnd()) : null;
        boolean mergeRight = rightSide && canMergeRight(prev, next, start, end, newFlags, file, anon, pgoff, mergeLeft);
        if (!mergeLeft && !mergeRight) {
            return null;
        }
        boolean deleteVma = leftSide && rightSide;
        mm.vmaStartWrite(vma);
        if (mergeLeft) {
            mm.vmaStartWrite(prev);
        }
        if (mergeRight) {
            mm.vmaStartWrite(next);
        }
        if (mergeLeft && mergeRight) {
            // prev extends over vma and next; both go.
            dupAnonVma(prev, next.anonVma() != null ? next : vma);
            commit(mm, prev, prev.vmStart(), next.vmEnd(), prev.vmPgoff(), vma, next);
            return prev;
        }
        if (mergeLeft) {
            dupAnonVma(prev, vma);
            if (deleteVma) {
                commit(mm, prev, prev.vmStart(), end, prev.vmPgoff(), vma, null);
            } else {
                // vma's start moves up to end: a huge PMD straddling it is split first.
                vm.hugeMemory.splitHugePmdIfNeeded(vma, end);
                commit(mm, prev, prev.vmStart(), end, prev.vmPgoff(), null, null);
                moveStart(mm, vma, end);
            }
            return prev;
        }
        dupAnonVma(next, vma);
        long pglen = pages(mm, end - start);
        if (deleteVma) {
            commit(mm, next, start, next.vmEnd(), next.vmPgoff() - pglen, vma, null);
        } else {
            // vma shrinks to end at start, next grows down to it.
            vm.hugeMemory.splitHugePmdIfNeeded(vma, start);
            vma.setRange(vma.vmStart(), start, vma.vmPgoff());
            commit(mm, next, start, next.vmEnd(), next.vmPgoff() - pglen, null, null);
        }
        return next;
    }

    /**
     * Mirrors {@code dup_anon_vma()}: "when mprotect shifts the boundary, make sure the expanding
     * vma has anon_vma set if the shrinking vma had, to cover any anon pages imported".
     */
    private void dupAnonVma(Vma dst, Vma src) {
        if (src.anonVma() != null && dst.anonVma() == null) {
            dst.setAnonVma(src.anonVma());
            for (AnonVma a : src.anonVmaChain()) {
                if (!dst.anonVmaChain().contains(a)) {
                    dst.anonVmaChain().add(a);
                }
                if (!a.vmas().contains(dst)) {
                    a.vmas().add(dst);
                }
            }
        }
    }

    /**
     * Mirrors {@code commit_merge()} → {@code vma_complete()}: {@code vma} takes its new range in
     * the tree; {@code remove} and {@code remove2} leave the tree, the file's i_mmap and their
     * anon_vmas ({@code anon_vma_merge()}), and drop their file reference.
     */
    private void commit(Mm mm, Vma vma, long start, long end, long pgoff, Vma remove, Vma remove2) {
        for (Vma r : new Vma[] {remove, remove2}) {
            if (r != null) {
                mmap.unlinkVma(mm, r);
            }
        }
        if (vma.vmStart() != start) {
            mm.vmaTree().remove(vma.vmStart());
            vma.setRange(start, end, pgoff);
            mm.vmaTree().put(start, vma);
        } else {
            vma.setRange(start, end, pgoff);
        }
    }

    /** The shrinking VMA's start moves up to {@code newStart} (commit_merge()'s {@code adj_start}). */
    private static void moveStart(Mm mm, Vma vma, long newStart) {
        mm.vmaTree().remove(vma.vmStart());
        vma.setRange(newStart, vma.vmEnd(), vma.linearPageIndex(newStart));
        mm.vmaTree().put(newStart, vma);
    }
}
