package org.gupsim.vm;

import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;

/**
 * fork()'s copy of an address space. Mirrors kernel/fork.c {@code dup_mmap()} and mm/memory.c
 * {@code copy_page_range()} with {@code copy_pte_range()}, {@code copy_present_ptes()},
 * {@code copy_present_page()} and {@code copy_nonpresent_pte()}, mm/huge_memory.c
 * {@code copy_huge_pmd()} and mm/hugetlb.c {@code copy_hugetlb_page_range()}.
 *
 * <p>Private anonymous memory is shared copy-on-write: both processes map the same folio
 * read-only, the page is no longer {@code PageAnonExclusive}, and the first write of either
 * copies it ({@link Faults}). That would move a pinned page away from the parent, whose next
 * write would get a copy while the device keeps using the old page. So a page that is exclusive
 * and may be pinned is copied for the child at once instead (70e806e4e645, "early CoW"): the
 * parent keeps its page, still writable and exclusive.
 *
 * <p>Two things make "may be pinned" a reliable question. The slow path pins under the mmap
 * lock, which fork holds for write. GUP-fast takes no lock: it could read the PTE, then fork
 * finds the page unpinned and shares it, then GUP-fast pins it and its PTE recheck still sees the
 * old (writable) PTE, because fork write-protects after deciding. Hence
 * {@code mm->write_protect_seq} (57efa1fe5957): fork makes it odd before it decides anything for
 * a CoW mapping and even afterwards, and a FOLL_PIN GUP-fast that saw it odd, or changed, undoes
 * its pins and leaves the work to the slow path, which must wait for fork's mmap lock.
 */
final class Fork extends VmPart {
    /** {@code VM_LOCKED_MASK}: the child does not inherit mlock. */
    private static final long VM_LOCKED_MASK = VmFlags.VM_LOCKED;

    Fork(Vm vm) {
        super(vm);
    }

    /**
     * Mirrors {@code dup_mm()} → {@code dup_mmap(mm, oldmm)}: a new address space with a copy of
     * every VMA of {@code oldmm} and, where {@link #vmaNeedsCopy} says so, of its page tables.
     * Both mmap locks are held for write throughout; at the end {@code oldmm}'s TLBs are flushed,
     * since entries it had writable may now be read-only.
     *
     * @return the child's mm, or null if memory ran out (the kernel's -ENOMEM; the partial copy
     *         is torn down, as {@code dup_mmap()}'s error path leaves it to {@code mmput()})
     */
    Mm dupMmap(Mm oldmm) {
        Cpu cpu = vm.cpu();
        Mm mm = vm.mmAlloc();
        boolean ok = true;
        oldmm.mmapLock().downWrite(cpu);
        mm.mmapLock().downWrite(cpu);
        try {
            for (Vma mpnt : oldmm.vmas()) {
                Vma tmp = new Vma(mm, mpnt.vmStart(), mpnt.vmEnd(), mpnt.flags() & ~VM_LOCKED_MASK, mpnt.vmPgoff(),
                        mpnt.file());
                tmp.setPageProt(mpnt.pageProt());
                vm.rmap().anonVmaFork(tmp, mpnt);
                vm.mmap().linkVma(mm, tmp);
                if (!copyPageRange(tmp, mpnt)) {
                    ok = false;
                    break;
                }
            }
            if (!ok) {
                vm.mmap().exitMmap(mm);
            }
        } finally {
            mm.mmapLock().upWrite(cpu);
            vm.arch().flushBackend().flushTlbMmRange(oldmm.tlbMm(), 0, oldmm.taskSize(), false);
            oldmm.mmapLock().upWrite(cpu);
        }
        return ok ? mm : null;
    }

    /**
     * Mirrors {@code vma_needs_copy()}: page tables are copied only where a fault could not
     * rebuild them, which for the VMAs modelled means where the parent has anonymous memory (an
     * anon_vma). File and shared mappings without it are faulted in again by the child.
     */
    static boolean vmaNeedsCopy(Vma src) {
        return (src.flags() & VmFlags.VM_PFNMAP) != 0 || src.anonVma() != null;
    }

    /**
     * Mirrors {@code copy_page_range()}: for a CoW mapping, {@code write_protect_seq} is odd
     * while the page tables are copied (under the mmap lock held for write, which
     * {@code vma_assert_write_locked()} checks).
     *
     * @return false on out of memory
     */
    boolean copyPageRange(Vma dst, Vma src) {
        if (!vmaNeedsCopy(src)) {
            return true;
        }
        if (src.isHugetlb()) {
            return copyHugetlbPageRange(dst, src);
        }
        Mm srcMm = src.mm();
        boolean isCow = VmFlags.isCowMapping(src.flags());
        boolean seq = isCow && vm.writeProtectSeq;
        if (isCow) {
            srcMm.mmapAssertWriteLocked("copy_page_range");
        }
        if (seq) {
            srcMm.rawWriteSeqcountBegin();
        }
        try {
            PageTables pt = srcMm.pageTables();
            return copyLevel(dst, src, pt.root(), pt.geometry().top(), 0);
        } finally {
            if (seq) {
                srcMm.rawWriteSeqcountEnd();
            }
        }
    }

    /**
     * {@code copy_p4d_range()} down to {@code copy_pmd_range()}: every present entry of
     * {@code table} (at {@code level}, translating from {@code base}) within {@code src}, its
     * tables followed down, huge PMDs handed to {@link #copyHugePmd}, PTE tables to
     * {@link #copyPteRange}. The child's tables are allocated on the way ({@code pXd_alloc()}).
     */
    private boolean copyLevel(Vma dst, Vma src, PageTable table, Level level, long base) {
        PageTables pt = src.mm().pageTables();
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        long size = g.size(level);
        long start = src.vmStart();
        long end = src.vmEnd();
        int first = (int) (Math.max(0, start - base) >>> g.shift(level));
        for (int i = first; i < table.nrEntries(); i++) {
            long addr = Math.max(start, base + (long) i * size);
            if (addr >= end) {
                break;
            }
            long next = Math.min(end, base + (long) (i + 1) * size);
            long e = table.read(i, COPY_FN[level.ordinal()]);
            if (fmt.none(level, e) || !fmt.present(level, e)) {
                continue;
            }
            if (level == Level.PMD && fmt.leaf(level, e)) {
                int r = copyHugePmd(dst, src, table, i, addr);
                if (r < 0) {
                    return false;
                }
                if (r == 0) {
                    continue;
                }
                // Split because the page may be pinned: copy its PTEs below.
                e = table.read(i, COPY_FN[level.ordinal()]);
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child == null) {
                continue;
            }
            boolean ok = level.below() == Level.PTE ? copyPteRange(dst, src, child, addr, next)
                    : copyLevel(dst, src, child, level.below(), base + (long) i * size);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static final String[] COPY_FN = {
        "copy_p4d_range", "copy_pud_range", "copy_pmd_range", "copy_pmd_range", "copy_pte_range"
    };

    /**
     * Mirrors {@code copy_pte_range()}: with the child's PTE lock and the parent's (nested)
     * held, each PTE of {@code srcTable} in {@code [addr, end)} is copied. Where a page must be
     * copied for the child ({@link #copyPresentPte} answers -EAGAIN), both locks are dropped, a
     * page is allocated, and the copy starts again at that PTE, reading it afresh.
     */
    private boolean copyPteRange(Vma dst, Vma src, PageTable srcTable, long addr, long end) {
        Mm dstMm = dst.mm();
        PageTables dpt = dstMm.pageTables();
        Geometry g = dpt.geometry();
        Cpu cpu = vm.cpu();
        Walk dw = new Walk();
        Folio[] prealloc = new Folio[1];
        while (addr != end) {
            if (dpt.walkAlloc(addr, Level.PTE, dw, "pte_alloc_map_lock") == null) {
                putPrealloc(prealloc);
                return false;
            }
            PageTable dstTable = dw.table;
            int ret = 0;
            dstTable.ptl().lock(cpu);
            srcTable.ptl().lock(cpu);
            try {
                for (; addr != end; addr += g.pageSize()) {
                    int idx = g.index(Level.PTE, addr);
                    long ptent = srcTable.read(idx, "copy_pte_range");
                    if (dpt.format().none(Level.PTE, ptent)) {
                        continue;
                    }
                    if (!dpt.format().present(Level.PTE, ptent)) {
                        copyNonpresentPte(dst, src, dstTable, srcTable, idx, ptent);
                        continue;
                    }
                    ret = copyPresentPte(dst, src, dstTable, srcTable, idx, ptent, addr, prealloc);
                    if (ret < 0) {
                        break;
                    }
                    // A preallocated page the copy did not use (the PTE changed): give it back.
                    putPrealloc(prealloc);
                }
            } finally {
                srcTable.ptl().unlock(cpu);
                dstTable.ptl().unlock(cpu);
            }
            if (ret < 0) {
                prealloc[0] = folioPrealloc();
                if (prealloc[0] == null) {
                    return false;
                }
            }
        }
        putPrealloc(prealloc);
        return true;
    }

    private void putPrealloc(Folio[] prealloc) {
        if (prealloc[0] != null) {
            mem.folioPut(prealloc[0]);
            prealloc[0] = null;
        }
    }

    /** Mirrors {@code folio_prealloc()} for a copy: a movable user page, or null when out of memory. */
    private Folio folioPrealloc() {
        return mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
    }

    /**
     * Mirrors {@code copy_nonpresent_pte()}: a swap entry gains a reference for the child
     * ({@code swap_duplicate()}) and, being shared now, loses its exclusive marker in the parent
     * too, so that neither process maps the page exclusive when it comes back; a writable
     * migration entry of a CoW mapping becomes readable in the parent. The child gets the same
     * entry.
     */
    private void copyNonpresentPte(Vma dst, Vma src, PageTable dstTable, PageTable srcTable, int idx, long pte) {
        EntryFormat fmt = src.mm().pageTables().format();
        if (SwapOps.isSwapEntry(fmt, pte)) {
            MmInternals.swapDuplicate(mem.swap(), fmt.swpOffset(pte));
            if (fmt.swpExclusive(pte)) {
                pte = fmt.swpClearExclusive(pte);
                PgtableInternals.write(srcTable, idx, pte, "set_pte_at");
            }
        } else if (SwapOps.isMigrationEntry(fmt, pte)) {
            dst.mm().addRss(true, 1);
            if (!SwapOps.isReadableMigrationEntry(fmt, pte) && VmFlags.isCowMapping(src.flags())) {
                pte = SwapOps.mkMigrationPte(fmt, fmt.swpOffset(pte), false, false);
                PgtableInternals.write(srcTable, idx, pte, "set_pte_at");
            }
        }
        PgtableInternals.write(dstTable, idx, pte, "set_pte_at");
    }

    /**
     * Mirrors {@code copy_present_ptes()} for one PTE (the model does not batch the PTEs of a
     * large folio; the per-page decisions are the same): the page is shared with the child, or,
     * if it is anonymous, exclusive and maybe pinned, copied ({@link #copyPresentPage}).
     *
     * @return 0, or -1 when a page must be preallocated first ({@code -EAGAIN})
     */
    private int copyPresentPte(Vma dst, Vma src, PageTable dstTable, PageTable srcTable, int idx, long pte,
                               long addr, Folio[] prealloc) {
        EntryFormat fmt = src.mm().pageTables().format();
        Page page = vm.faults().vmNormalPage(fmt, pte);
        if (page != null) {
            Folio folio = page.folio();
            mem.folioGet(folio);
            if (folio.anon()) {
                if (!vm.rmap().folioTryDupAnonRmapPte(folio, page, src, vm.earlyCowForDma)) {
                    // The page may be pinned: copy it for the child now.
                    mem.folioPut(folio);
                    return copyPresentPage(dst, dstTable, idx, addr, prealloc);
                }
                dst.mm().addRss(true, 1);
            } else {
                vm.rmap().folioDupFileRmapPte(folio);
                dst.mm().addRss(false, 1);
            }
        }
        copyPresentPtes(dst, src, dstTable, srcTable, idx, pte);
        return 0;
    }

    /**
     * Mirrors {@code __copy_present_ptes()}: in a CoW mapping a writable PTE is write-protected in
     * the parent ({@code wrprotect_ptes()}) and copied read-only; a shared mapping's copy is clean;
     * the child's copy is old.
     */
    private void copyPresentPtes(Vma dst, Vma src, PageTable dstTable, PageTable srcTable, int idx, long pte) {
        EntryFormat fmt = src.mm().pageTables().format();
        if (VmFlags.isCowMapping(src.flags()) && fmt.leafWrite(Level.PTE, pte)) {
            PgtableInternals.getAndUpdate(srcTable, idx, e -> fmt.wrprotect(Level.PTE, e), "ptep_set_wrprotect");
            pte = fmt.wrprotect(Level.PTE, pte);
        }
        if ((src.flags() & VmFlags.VM_SHARED) != 0) {
            pte = fmt.mkClean(Level.PTE, pte);
        }
        PgtableInternals.write(dstTable, idx, fmt.mkOld(Level.PTE, pte), "set_ptes");
    }

    /**
     * Mirrors {@code copy_present_page()}: the child gets its own copy of a maybe-pinned page,
     * exclusive and writable (if the VMA is); the parent's PTE is left as it was.
     *
     * @return 0, or -1 ({@code -EAGAIN}) if no page was preallocated yet
     */
    private int copyPresentPage(Vma dst, PageTable dstTable, int idx, long addr, Folio[] prealloc) {
        Folio copy = prealloc[0];
        if (copy == null) {
            return -1;
        }
        prealloc[0] = null;
        MmInternals.setFlag(copy, Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        vm.rmap().folioAddNewAnonRmap(copy, dst, addr);
        dst.mm().addRss(true, 1);
        EntryFormat fmt = dst.mm().pageTables().format();
        long pte = fmt.mkLeaf(Level.PTE, copy.pfn(), dst.pageProt());
        pte = Faults.maybeMkwrite(fmt, dst, Level.PTE, fmt.mkDirty(Level.PTE, pte));
        PgtableInternals.write(dstTable, idx, pte, "set_pte_at");
        return 0;
    }

    /**
     * Mirrors {@code copy_huge_pmd()} for an anonymous THP: shared read-only with the child, unless
     * the folio may be pinned, in which case the parent's PMD is split
     * ({@code __split_huge_pmd()}) and the caller copies its PTEs one by one.
     *
     * @return 0 when copied, 1 when split (copy the PTEs), -1 on out of memory
     */
    private int copyHugePmd(Vma dst, Vma src, PageTable srcTable, int idx, long addr) {
        if (!dst.isAnonymous()) {
            return 0;
        }
        Mm dstMm = dst.mm();
        PageTables dpt = dstMm.pageTables();
        EntryFormat fmt = dpt.format();
        Walk dw = dpt.walkAlloc(addr, Level.PMD, new Walk(), "pmd_alloc");
        if (dw == null) {
            return -1;
        }
        Cpu cpu = vm.cpu();
        long pmd;
        dw.table.ptl().lock(cpu);
        srcTable.ptl().lock(cpu);
        try {
            pmd = srcTable.read(idx, "copy_huge_pmd");
            Folio folio = mem.pfnToPage(fmt.leafPfn(Level.PMD, pmd)).folio();
            mem.folioGet(folio);
            if (!vm.rmap().folioTryDupAnonRmapPmd(folio, src, vm.earlyCowForDma)) {
                mem.folioPut(folio);
                pmd = 0;
            } else {
                dstMm.addRss(true, folio.nrPages());
                PgtableInternals.getAndUpdate(srcTable, idx, e -> fmt.wrprotect(Level.PMD, e), "pmdp_set_wrprotect");
                PgtableInternals.write(dw.table, dw.index, fmt.mkOld(Level.PMD, fmt.wrprotect(Level.PMD, pmd)), "set_pmd_at");
            }
        } finally {
            srcTable.ptl().unlock(cpu);
            dw.table.ptl().unlock(cpu);
        }
        if (pmd != 0) {
            return 0;
        }
        // The page may be pinned: split and copy it PTE by PTE, pinned subpages copied.
        long size = src.mm().pageTables().geometry().size(Level.PMD);
        vm.hugeMemory.splitHugeLeaf(src, srcTable, idx, Level.PMD, addr & -size);
        return 1;
    }

    /**
     * Mirrors {@code copy_hugetlb_page_range()} for a private hugetlb mapping (shared ones have no
     * anon_vma and are not copied): each huge page is shared read-only with the child
     * ({@code hugetlb_try_dup_anon_rmap()}), or, exclusive and maybe pinned, copied for the child.
     */
    private boolean copyHugetlbPageRange(Vma dst, Vma src) {
        HugetlbLeaves leaves = vm.hugetlb.hugetlbLeavesOf(src);
        if (leaves == null) {
            return true;
        }
        PageTables spt = src.mm().pageTables();
        PageTables dpt = dst.mm().pageTables();
        EntryFormat fmt = spt.format();
        Geometry g = spt.geometry();
        Level level = leaves.level();
        int n = leaves.entries();
        int hshift = src.file().inode().folioPageShift(g.pageShift());
        long hsize = 1L << hshift;
        boolean cow = VmFlags.isCowMapping(src.flags());
        Walk sw = new Walk();
        Walk dw = new Walk();
        for (long addr = src.vmStart(); addr < src.vmEnd(); addr += hsize) {
            spt.walk(addr, sw, "huge_pte_offset");
            if (!sw.leafPresent || sw.level != level) {
                continue;
            }
            if (dpt.walkAlloc(addr, level, dw, "huge_pte_alloc") == null) {
                return false;
            }
            long entry = sw.entry;
            Folio folio = mem.pfnToPage(fmt.leafPfn(level, entry)).folio();
            if (folio.anon() && !vm.rmap().folioTryDupAnonRmapPmd(folio, src, vm.earlyCowForDma)) {
                if (!hugetlbCopyForChild(dst, dw, n, folio, addr, hshift)) {
                    return false;
                }
                continue;
            }
            if (!folio.anon()) {
                vm.rmap().folioDupFileRmapPte(folio);
            }
            mem.folioGet(folio);
            dst.mm().addRss(folio.anon(), folio.nrPages());
            for (int i = 0; i < n; i++) {
                long e = cow ? fmt.wrprotect(level, PgtableInternals.getAndUpdate(sw.table, sw.index + i, x -> fmt.wrprotect(level, x),
                        "huge_ptep_set_wrprotect")) : sw.table.read(sw.index + i, "copy_hugetlb_page_range");
                PgtableInternals.write(dw.table, dw.index + i, e, "set_huge_pte_at");
            }
        }
        return true;
    }

    /**
     * The child's own copy of a maybe-pinned private hugetlb page, as
     * {@code copy_hugetlb_page_range()} makes one when {@code hugetlb_try_dup_anon_rmap()} fails:
     * a new huge folio, exclusive, mapped writable by every leaf the page takes.
     */
    private boolean hugetlbCopyForChild(Vma dst, Walk dw, int n, Folio old, long addr, int hshift) {
        Folio copy = mem.allocFolio(old.order(), Gfp.HIGHUSER);
        if (copy == null) {
            return false;
        }
        MmInternals.setFlag(copy, Folio.PG_HUGETLB | Folio.PG_UPTODATE);
        vm.rmap().folioAddNewAnonRmap(copy, dst, addr);
        dst.mm().addRss(true, copy.nrPages());
        PageTables dpt = dst.mm().pageTables();
        EntryFormat fmt = dpt.format();
        Level level = dw.level;
        long step = dpt.geometry().size(level) >>> dpt.geometry().pageShift();
        for (int i = 0; i < n; i++) {
            long e = fmt.mkLeaf(level, copy.pfn() + i * step, dst.pageProt());
            e = fmt.mkDirty(level, Faults.maybeMkwrite(fmt, dst, level, e));
            PgtableInternals.write(dw.table, dw.index + i, vm.arch().archMakeHugePte(level, fmt.mkYoung(level, e), hshift),
                    "set_huge_pte_at");
        }
        return true;
    }
}
