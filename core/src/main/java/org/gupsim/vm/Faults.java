package org.gupsim.vm;

import org.gupsim.fs.Inode;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;

/**
 * Page faults on PTE-mapped memory. Mirrors the fault half of mm/memory.c:
 * {@code handle_mm_fault()}, {@code handle_pte_fault()}, {@code do_anonymous_page()},
 * {@code do_fault()} with {@code do_read_fault()}, {@code do_cow_fault()} and
 * {@code do_shared_fault()}, {@code finish_fault()}, {@code do_wp_page()} and
 * {@code vm_normal_page()}. Huge leaves are handed to {@link HugeMemory} (mm/huge_memory.c) and
 * hugetlb VMAs to {@link Hugetlb} (mm/hugetlb.c), where the kernel keeps them.
 */
public final class Faults {
    private final Vm vm;
    private final PhysMem mem;

    Faults(Vm vm) {
        this.vm = vm;
        this.mem = vm.mem();
    }

    /**
     * Mirrors {@code handle_mm_fault()}: makes {@code addr} accessible as {@code flags} asks
     * (FAULT_FLAG_WRITE, FAULT_FLAG_UNSHARE). The caller holds the mmap lock and has checked the
     * VMA's permissions (the arch fault handler or GUP's {@code check_vma_flags()}).
     *
     * @return 0 or {@code VM_FAULT_*} error bits
     */
    public int handleMmFault(Vma vma, long addr, int flags) {
        if (vma.isHugetlb()) {
            return vm.hugetlb.hugetlbFault(vma, addr, flags);
        }
        Mm mm = vma.mm();
        PageTables pt = mm.pageTables();
        Walk w = new Walk();
        if (vm.hugeMemory.thpEligible(vma, addr)) {
            if (pt.walkAlloc(addr, Level.PMD, w, "__handle_mm_fault") == null) {
                return VmFault.VM_FAULT_OOM;
            }
            if (w.level == Level.PMD && pt.format().none(Level.PMD, w.entry)) {
                int r = vm.hugeMemory.doHugePmdAnonymousPage(vma, addr, w);
                if (r >= 0) {
                    return r;
                }
            } else if (w.leafPresent) {
                int r = vm.hugeMemory.hugeLeafFault(vma, addr, w, 1, flags);
                if (r != VmFault.VM_FAULT_FALLBACK) {
                    return r;
                }
            }
        }
        if (!vma.isAnonymous() && filePmdSuitable(vma, addr)) {
            // create_huge_pmd() falls back (shmem and ext4 have no ->huge_fault()). With the PMD
            // none, handle_pte_fault() has no PTE table (vmf->pte == NULL) and goes to do_fault(),
            // whose finish_fault() maps a PMD-sized page-cache folio by a PMD (do_set_pmd()) and
            // allocates the PTE table only for anything else. Where do_set_pmd() could not map
            // this range anyway (filePmdSuitable() false), gupsim allocates the table before the
            // folio is looked up, not after: the same tables and mappings result.
            if (pt.walkAlloc(addr, Level.PMD, w, "__handle_mm_fault") == null) {
                return VmFault.VM_FAULT_OOM;
            }
            if (w.level == Level.PMD && w.leafPresent) {
                // A page-cache THP mapped by this PMD: huge_pmd_set_accessed(), or wp_huge_pmd(),
                // which unmaps the PMD ("split") and falls back; handle_pte_fault() then finds the
                // PMD none and goes to do_fault() as above.
                int r = vm.hugeMemory.hugeLeafFault(vma, addr, w, 1, flags);
                if (r != VmFault.VM_FAULT_FALLBACK) {
                    return r;
                }
                if (pt.walkAlloc(addr, Level.PMD, w, "__handle_mm_fault") == null) {
                    return VmFault.VM_FAULT_OOM;
                }
            }
            if (w.level == Level.PMD && pt.format().none(Level.PMD, w.entry)) {
                return doFault(vma, addr, w, flags);
            }
        }
        PteOffsetMap map = vm.pteOffsetMap();
        map.begin();
        try {
            if (pt.walkAlloc(addr, Level.PTE, w, "__handle_mm_fault") == null) {
                return VmFault.VM_FAULT_OOM;
            }
            if (w.level != Level.PTE) {
                int r = vm.hugeMemory.hugeLeafFault(vma, addr, w, 1, flags);
                if (r != VmFault.VM_FAULT_FALLBACK) {
                    return r;
                }
                // Split: the PTEs are there now.
                if (pt.walkAlloc(addr, Level.PTE, w, "__handle_mm_fault") == null) {
                    return VmFault.VM_FAULT_OOM;
                }
            }
            return handlePteFault(vma, addr, w, flags);
        } finally {
            map.end();
        }
    }

    /** Mirrors {@code handle_pte_fault()}. */
    private int handlePteFault(Vma vma, long addr, Walk w, int flags) {
        EntryFormat fmt = vma.mm().pageTables().format();
        long pte = w.entry;
        if (fmt.none(Level.PTE, pte)) {
            return vma.isAnonymous() ? doAnonymousPage(vma, addr, w, flags) : doFault(vma, addr, w, flags);
        }
        if (!fmt.present(Level.PTE, pte)) {
            return vm.swapIn.doSwapPage(vma, addr, w, flags);
        }
        Cpu cpu = vm.cpu();
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            if (!vm.pteOffsetMap().pmdSame(w)) {
                return 0;
            }
            pte = t.read(w.index, "handle_pte_fault");
            if (fmt.leafProtnone(Level.PTE, pte)) {
                // do_numa_page(): a NUMA hinting fault on an accessible VMA restores the protection.
                pte = fmt.modify(Level.PTE, pte, vma.pageProt());
                PgtableInternals.write(t, w.index, pte, "do_numa_page");
            }
            if ((flags & (VmFault.FAULT_FLAG_WRITE | VmFault.FAULT_FLAG_UNSHARE)) != 0
                    && !fmt.leafWrite(Level.PTE, pte)) {
                return doWpPage(vma, addr, t, w.index, pte, flags);
            }
            if ((flags & VmFault.FAULT_FLAG_WRITE) != 0) {
                pte = fmt.mkDirty(Level.PTE, pte);
            }
            PgtableInternals.write(t, w.index, fmt.mkYoung(Level.PTE, pte), "ptep_set_access_flags");
            return 0;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    /**
     * Mirrors {@code do_anonymous_page()}: a read maps the shared zero page (special, read-only); a
     * write allocates a new exclusive anonymous folio.
     */
    private int doAnonymousPage(Vma vma, long addr, Walk w, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        Cpu cpu = vm.cpu();
        long entry;
        Folio folio = null;
        if ((flags & VmFault.FAULT_FLAG_WRITE) == 0) {
            entry = fmt.mkLeaf(Level.PTE, mem.zeroFolio().pfn(), vma.pageProt());
            if (fmt.hasPteSpecial()) {
                entry = fmt.mkSpecial(Level.PTE, entry);
            }
        } else {
            vm.rmap().anonVmaPrepare(vma);
            folio = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
            if (folio == null) {
                return VmFault.VM_FAULT_OOM;
            }
            MmInternals.setFlag(folio, Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
            entry = fmt.mkLeaf(Level.PTE, folio.pfn(), vma.pageProt());
            if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
                entry = fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry));
            }
        }
        entry = fmt.mkYoung(Level.PTE, entry);
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            // pte_offset_map_lock() again after the allocation: the table may be gone (retracted
            // or reclaimed meanwhile); the fault is then simply retried.
            if (!vm.pteOffsetMap().pmdSame(w) || !fmt.none(Level.PTE, t.read(w.index, "do_anonymous_page"))) {
                if (folio != null) {
                    mem.folioPut(folio);
                }
                return 0;
            }
            if (folio != null) {
                vm.rmap().folioAddNewAnonRmap(folio, vma, addr);
                mm.addRss(true, 1);
            }
            PgtableInternals.write(t, w.index, entry, "set_pte_at");
        } finally {
            t.ptl().unlock(cpu);
        }
        return 0;
    }

    /**
     * Mirrors {@code do_fault()}: read, CoW or shared fault on a file mapping. Each of the kernel's
     * three handlers starts with {@code __do_fault()} (the page-cache page, locked) and ends by
     * unlocking it; here that is done once, around the handler.
     */
    private int doFault(Vma vma, long addr, Walk w, int flags) {
        int[] fault = new int[1];
        Page page = fileFolioPage(vma, addr, fault);
        if (page == null) {
            return fault[0];
        }
        try {
            if ((flags & VmFault.FAULT_FLAG_WRITE) == 0) {
                return doReadFault(vma, addr, w, page);
            }
            if ((vma.flags() & VmFlags.VM_SHARED) == 0) {
                return doCowFault(vma, addr, w, page);
            }
            return doSharedFault(vma, addr, w, page);
        } finally {
            mem.folioUnlock(page.folio());
        }
    }

    /**
     * The page-cache page for {@code addr}, its folio locked as {@code filemap_fault()} /
     * {@code shmem_get_folio()} return it (the caller unlocks it once the PTE is set). A folio that
     * left the cache while we waited for its lock (truncated, or replaced by khugepaged's
     * {@code collapse_file()}, which holds the old folios locked) is let go and the cache looked up
     * again, as those functions do when {@code folio->mapping} changed.
     */
    private Page fileFolioPage(Vma vma, long addr, int[] fault) {
        Inode inode = vma.file().inode();
        long pgoff = vma.linearPageIndex(addr);
        int order = inode.folioPageShift(mem.pageShift()) - mem.pageShift();
        while (true) {
            Folio folio = vm.vfs().findOrCreateFolio(inode, pgoff);
            if (folio == null) {
                fault[0] = vm.vfs().lastFaultOom() ? VmFault.VM_FAULT_OOM : VmFault.VM_FAULT_SIGBUS;
                return null;
            }
            mem.folioLock(folio);
            if (folio.mapping() == inode.mapping() && inode.mapping().peek(pgoff >>> order) == folio) {
                return folio.page(mem, (int) (pgoff - folio.index()));
            }
            mem.folioUnlock(folio);
        }
    }

    /** Mirrors {@code do_read_fault()}: map the page-cache page with the VMA's protection. */
    private int doReadFault(Vma vma, long addr, Walk w, Page page) {
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkYoung(Level.PTE, fmt.mkLeaf(Level.PTE, page.pfn(), vma.pageProt()));
        return finishFault(vma, addr, w, page.folio(), entry, false, false);
    }

    /** Mirrors {@code do_cow_fault()}: a private copy of the file page, mapped writable. */
    private int doCowFault(Vma vma, long addr, Walk w, Page page) {
        vm.rmap().anonVmaPrepare(vma);
        Folio copy = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
        if (copy == null) {
            return VmFault.VM_FAULT_OOM;
        }
        MmInternals.setFlag(copy, Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkLeaf(Level.PTE, copy.pfn(), vma.pageProt());
        if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
            entry = fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry));
        }
        vm.rmap().folioAddNewAnonRmap(copy, vma, addr);
        // The new folio's own reference becomes the mapping's; finishFault must not take another.
        return finishFault(vma, addr, w, copy, fmt.mkYoung(Level.PTE, entry), true, true);
    }

    /**
     * Mirrors {@code do_shared_fault()}: the filesystem's {@code page_mkwrite} is told the page
     * becomes writable (ext4 allocates blocks; the folio is dirtied), then it is mapped writable.
     */
    private int doSharedFault(Vma vma, long addr, Walk w, Page page) {
        Folio folio = page.folio();
        MmInternals.setFlag(folio, Folio.PG_DIRTY);
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkLeaf(Level.PTE, page.pfn(), vma.pageProt());
        entry = fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry)));
        return finishFault(vma, addr, w, folio, entry, false, true);
    }

    /**
     * Mirrors {@code finish_fault()} → {@code set_pte_range()}: installs {@code entry} unless
     * someone else filled the PTE meanwhile. A page-cache folio gets a new reference and map
     * count here; a freshly allocated anonymous copy ({@code newAnon}) already has both, and is
     * given back if it lost the race. With {@code w} at an empty PMD (no PTE table yet), a
     * PMD-sized page-cache folio is mapped by a PMD instead ({@link #doSetPmd}); anything else,
     * or a PMD someone filled meanwhile, gets the PTE table allocated first ({@code pte_alloc()}).
     */
    private int finishFault(Vma vma, long addr, Walk w, Folio folio, long entry, boolean newAnon, boolean write) {
        if (w.level == Level.PMD) {
            return finishFaultPmdNone(vma, addr, w, folio, entry, newAnon, write);
        }
        Cpu cpu = vm.cpu();
        EntryFormat fmt = vma.mm().pageTables().format();
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            if (!vm.pteOffsetMap().pmdSame(w) || !fmt.none(Level.PTE, t.read(w.index, "finish_fault"))) {
                if (newAnon) {
                    vm.rmap().folioRemoveRmap(folio);
                    mem.folioPut(folio);
                }
                return 0;
            }
            if (!newAnon) {
                mem.folioGet(folio);
                vm.rmap().folioAddFileRmap(folio);
            }
            vma.mm().addRss(newAnon, 1);
            PgtableInternals.write(t, w.index, entry, "set_pte_range");
        } finally {
            t.ptl().unlock(cpu);
        }
        return 0;
    }

    /**
     * {@code finish_fault()} when the fault found the PMD none: "if (pmd_none(*vmf->pmd))", a
     * page-cache folio that {@code folio_test_pmd_mappable()} goes to {@code do_set_pmd()}; on
     * {@code VM_FAULT_FALLBACK} (or a small folio, or an anonymous CoW copy) {@code pte_alloc()}
     * gives the PMD a table, and the page is mapped by a PTE. If a huge PMD appeared meanwhile,
     * {@code pte_offset_map_lock()} fails and the fault is done ({@code VM_FAULT_NOPAGE}).
     */
    private int finishFaultPmdNone(Vma vma, long addr, Walk w, Folio folio, long entry, boolean newAnon,
                                   boolean write) {
        if (!newAnon && folio.nrPages() == pmdPages(vma.mm())) {
            int r = doSetPmd(vma, addr & -vma.mm().pageTables().geometry().size(Level.PMD), w.table, w.index, folio,
                    write);
            if (r != VmFault.VM_FAULT_FALLBACK) {
                return r;
            }
        }
        PteOffsetMap map = vm.pteOffsetMap();
        map.begin();
        try {
            Walk pte = vma.mm().pageTables().walkAlloc(addr, Level.PTE, new Walk(), "pte_alloc");
            if (pte == null || pte.level != Level.PTE) {
                if (newAnon) {
                    vm.rmap().folioRemoveRmap(folio);
                    mem.folioPut(folio);
                }
                return pte == null ? VmFault.VM_FAULT_OOM : 0;
            }
            return finishFault(vma, addr, pte, folio, entry, newAnon, write);
        } finally {
            map.end();
        }
    }

    private static int pmdPages(Mm mm) {
        return 1 << (mm.pageTables().geometry().shift(Level.PMD) - mm.pageShift());
    }

    /**
     * Mirrors {@code thp_vma_suitable_order(vma, haddr, PMD_ORDER)} for a file VMA, on an
     * architecture with PMD leaves: the VMA covers the whole PMD range around {@code addr}, and its
     * file offset is aligned as its address is ({@code (vm_start >> PAGE_SHIFT) - vm_pgoff} a
     * multiple of {@code HPAGE_PMD_NR}), so that a PMD-sized folio can back the range.
     */
    static boolean filePmdSuitable(Vma vma, long addr) {
        Mm mm = vma.mm();
        var g = mm.pageTables().geometry();
        if (!g.leafAllowed(Level.PMD)) {
            return false;
        }
        long size = g.size(Level.PMD);
        long haddr = addr & -size;
        if (haddr < vma.vmStart() || haddr + size > vma.vmEnd()) {
            return false;
        }
        return (((vma.vmStart() >>> mm.pageShift()) - vma.vmPgoff()) & (pmdPages(mm) - 1)) == 0;
    }

    /**
     * Mirrors {@code do_set_pmd()} (mm/memory.c) for a PMD-order page-cache folio and the PMD entry
     * {@code pmdTable[index]} of {@code haddr}: unless the VMA cannot hold a PMD mapping there
     * ({@link #filePmdSuitable}), under the PMD lock and only if the PMD is still none
     * ({@code VM_FAULT_FALLBACK} otherwise), a huge PMD with the VMA's protection maps the folio
     * (made dirty and, where the VMA allows, writable for a write fault:
     * {@code maybe_pmd_mkwrite(pmd_mkdirty())}), with the file RSS, the file rmap and one
     * reference for the mapping. Left out: {@code arch_needs_pgtable_deposit()} (ppc64 hash), the
     * hwpoison check, and the 6.12 refusal for VMAs with THPs disabled ({@code VM_NOHUGEPAGE},
     * which gupsim never sets).
     *
     * @return 0 when mapped, else {@code VM_FAULT_FALLBACK}
     */
    int doSetPmd(Vma vma, long haddr, PageTable pmdTable, int index, Folio folio, boolean write) {
        Mm mm = vma.mm();
        if (!filePmdSuitable(vma, haddr) || folio.nrPages() != pmdPages(mm)) {
            return VmFault.VM_FAULT_FALLBACK;
        }
        EntryFormat fmt = mm.pageTables().format();
        Cpu cpu = vm.cpu();
        pmdTable.ptl().lock(cpu);
        try {
            if (!fmt.none(Level.PMD, pmdTable.read(index, "do_set_pmd"))) {
                return VmFault.VM_FAULT_FALLBACK;
            }
            long entry = fmt.mkYoung(Level.PMD, fmt.mkLeaf(Level.PMD, folio.pfn(), vma.pageProt()));
            if (write) {
                entry = maybeMkwrite(fmt, vma, Level.PMD, fmt.mkDirty(Level.PMD, entry));
            }
            mem.folioGet(folio);
            vm.rmap().folioAddFileRmap(folio);
            mm.addRss(false, folio.nrPages());
            PgtableInternals.write(pmdTable, index, entry, "set_pmd_at");
        } finally {
            pmdTable.ptl().unlock(cpu);
        }
        return 0;
    }

    /**
     * Mirrors {@code do_wp_page()}: a write (or unshare) to a present read-only PTE. Shared
     * mappings go through {@code page_mkwrite} and become writable in place. In private ones an
     * exclusive anonymous page is reused; anything else (zero page, page-cache page, a page that
     * may be shared or is pinned) is copied. An unshare fault leaves the result read-only.
     * Called with the PTE lock held.
     */
    int doWpPage(Vma vma, long addr, PageTable t, int index, long pte, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        boolean unshare = (flags & VmFault.FAULT_FLAG_UNSHARE) != 0;
        long pfn = fmt.leafPfn(Level.PTE, pte);
        Page page = vmNormalPage(fmt, pte);
        Folio folio = page == null ? null : page.folio();
        if ((vma.flags() & VmFlags.VM_SHARED) != 0) {
            if (unshare) {
                return 0;
            }
            if (folio != null && vma.hasPageMkwrite()) {
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
            }
            long e = fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, Level.PTE, pte)));
            PgtableInternals.write(t, index, e, "wp_page_reuse");
            return 0;
        }
        if (folio != null && folio.anon()) {
            if (page.pageAnonExclusive() || wpCanReuseAnonFolio(folio, vma)) {
                MmInternals.setPageFlag(page, Page.PG_ANON_EXCLUSIVE);
                if (unshare) {
                    return 0;
                }
                PgtableInternals.write(t, index, fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, Level.PTE, pte))),
                        "wp_page_reuse");
                return 0;
            }
        }
        return wpPageCopy(vma, addr, t, index, pte, folio, pfn == mem.zeroFolio().pfn(), unshare);
    }

    /**
     * Mirrors {@code wp_can_reuse_anon_folio()}: a small anonymous folio that is not (or no
     * longer) exclusive may still be reused if the only reference is this mapping's, checked with
     * the folio locked; it then moves to this VMA's anon_vma. A pinned page never passes (its pin
     * holds 1024 references), nor does one another process still maps after fork, so those are
     * copied: the reason fork must not leave a pinned page shared.
     */
    private boolean wpCanReuseAnonFolio(Folio folio, Vma vma) {
        if (folio.large()) {
            // A subpage of a large folio could be reused only if no other subpage were mapped;
            // the kernel does not try.
            return false;
        }
        // KSM does not necessarily raise the refcount.
        if (folio.ksm() || mem.folioRefCount(folio) > 3) {
            return false;
        }
        if (folio.refcount() > 1 + (folio.swapcache() ? 1 : 0)) {
            return false;
        }
        if (!mem.folioTrylock(folio)) {
            return false;
        }
        if (folio.swapcache()) {
            MmInternals.folioFreeSwap(mem.swap(), folio);
        }
        if (folio.ksm() || mem.folioRefCount(folio) != 1) {
            mem.folioUnlock(folio);
            return false;
        }
        // Ours alone, and locked: it moves to this VMA's anon_vma.
        vm.rmap().folioMoveAnonRmap(folio, vma);
        mem.folioUnlock(folio);
        return true;
    }

    /**
     * Mirrors {@code maybe_mkwrite()} (include/linux/mm.h): the entry made writable only if the
     * VMA allows writes.
     */
    static long maybeMkwrite(EntryFormat fmt, Vma vma, Level level, long e) {
        return (vma.flags() & VmFlags.VM_WRITE) != 0 ? fmt.mkWrite(level, e) : e;
    }

    /** Mirrors {@code wp_page_copy()}: replace the PTE with a fresh exclusive anonymous copy. */
    private int wpPageCopy(Vma vma, long addr, PageTable t, int index, long oldPte, Folio old, boolean zero,
                           boolean unshare) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        vm.rmap().anonVmaPrepare(vma);
        Folio copy = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
        if (copy == null) {
            return VmFault.VM_FAULT_OOM;
        }
        MmInternals.setFlag(copy, Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        vm.rmap().folioAddNewAnonRmap(copy, vma, addr);
        long entry = fmt.mkLeaf(Level.PTE, copy.pfn(), vma.pageProt());
        if (!unshare) {
            entry = fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, Level.PTE, entry));
        }
        entry = fmt.mkYoung(Level.PTE, entry);
        // ptep_clear_flush(): the old translation must be gone from every TLB before the new one
        // is visible, or two CPUs could write two different pages for one address.
        PgtableInternals.getAndClear(t, index, vm.arch().ptepGetAndClearOrder(), "ptep_clear_flush");
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), addr, addr + mm.pageSize(), false);
        PgtableInternals.write(t, index, entry, "set_pte_at_notify");
        if (old != null && !zero) {
            vm.rmap().folioRemoveRmap(old);
            mm.addRss(old.anon(), -1);
            mem.folioPut(old);
        }
        mm.addRss(true, 1);
        return 0;
    }

    /**
     * Mirrors {@code vm_normal_page()}: the page behind a PTE, or null for special mappings and the
     * zero page (which have no refcounted struct page as far as mappings are concerned).
     */
    public Page vmNormalPage(EntryFormat fmt, long pte) {
        if (fmt.hasPteSpecial() && fmt.leafSpecial(Level.PTE, pte)) {
            return null;
        }
        long pfn = fmt.leafPfn(Level.PTE, pte);
        if (pfn == mem.zeroFolio().pfn() || !mem.pfnValid(pfn)) {
            return null;
        }
        return mem.pfnToPage(pfn);
    }

}
