package org.gupsim.vm;

import org.gupsim.fs.Inode;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.MmuGather;

/**
 * Page faults, zapping and page-table freeing. Mirrors mm/memory.c ({@code handle_mm_fault},
 * {@code do_anonymous_page}, {@code do_read_fault}, {@code do_cow_fault}, {@code do_shared_fault},
 * {@code do_wp_page}, {@code zap_pte_range}, {@code free_pgtables}), with the huge cases of
 * mm/huge_memory.c and mm/hugetlb.c.
 */
public final class Memory {
    private final Vm vm;
    private final PhysMem mem;

    Memory(Vm vm) {
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
            return hugetlbFault(vma, addr, flags);
        }
        Mm mm = vma.mm();
        PageTables pt = mm.pageTables();
        Walk w = new Walk();
        if (thpEligible(vma, addr)) {
            if (pt.walkAlloc(addr, Level.PMD, w, "__handle_mm_fault") == null) {
                return VmFault.VM_FAULT_OOM;
            }
            if (w.level == Level.PMD && pt.format().none(Level.PMD, w.entry)) {
                int r = doHugePmdAnonymousPage(vma, addr, w);
                if (r >= 0) {
                    return r;
                }
            } else if (w.leafPresent) {
                return hugeLeafFault(vma, addr, w, 1, flags);
            }
        }
        if (pt.walkAlloc(addr, Level.PTE, w, "__handle_mm_fault") == null) {
            return VmFault.VM_FAULT_OOM;
        }
        if (w.level != Level.PTE) {
            return hugeLeafFault(vma, addr, w, 1, flags);
        }
        return handlePteFault(vma, addr, w, flags);
    }

    private boolean thpEligible(Vma vma, long addr) {
        if (!vma.isAnonymous() || (vma.flags() & VmFlags.VM_HUGEPAGE) == 0) {
            return false;
        }
        Geometry g = vma.mm().pageTables().geometry();
        if (!g.leafAllowed(Level.PMD)) {
            return false;
        }
        long size = g.size(Level.PMD);
        long haddr = addr & -size;
        return haddr >= vma.vmStart() && haddr + size <= vma.vmEnd();
    }

    /** Mirrors {@code handle_pte_fault()}. */
    private int handlePteFault(Vma vma, long addr, Walk w, int flags) {
        EntryFormat fmt = vma.mm().pageTables().format();
        long pte = w.entry;
        if (fmt.none(Level.PTE, pte)) {
            return vma.isAnonymous() ? doAnonymousPage(vma, addr, w, flags) : doFault(vma, addr, w, flags);
        }
        Cpu cpu = vm.cpu();
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            pte = t.read(w.index, "handle_pte_fault");
            if (fmt.leafProtnone(Level.PTE, pte)) {
                // do_numa_page(): a NUMA hinting fault on an accessible VMA restores the protection.
                pte = fmt.modify(Level.PTE, pte, vma.pageProt());
                t.write(w.index, pte, "do_numa_page");
            }
            if ((flags & (VmFault.FAULT_FLAG_WRITE | VmFault.FAULT_FLAG_UNSHARE)) != 0
                    && !fmt.leafWrite(Level.PTE, pte)) {
                return doWpPage(vma, addr, t, w.index, pte, flags);
            }
            if ((flags & VmFault.FAULT_FLAG_WRITE) != 0) {
                pte = fmt.mkDirty(Level.PTE, pte);
            }
            t.write(w.index, fmt.mkYoung(Level.PTE, pte), "ptep_set_access_flags");
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
            folio.set(Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
            entry = fmt.mkLeaf(Level.PTE, folio.pfn(), vma.pageProt());
            if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
                entry = fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry));
            }
        }
        entry = fmt.mkYoung(Level.PTE, entry);
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            if (!fmt.none(Level.PTE, t.read(w.index, "do_anonymous_page"))) {
                if (folio != null) {
                    mem.folioPut(folio);
                }
                return 0;
            }
            if (folio != null) {
                vm.rmap().folioAddNewAnonRmap(folio, vma, addr);
                mm.addRss(true, 1);
            }
            t.write(w.index, entry, "set_pte_at");
        } finally {
            t.ptl().unlock(cpu);
        }
        return 0;
    }

    /** Mirrors {@code do_fault()}: read, CoW or shared fault on a file mapping. */
    private int doFault(Vma vma, long addr, Walk w, int flags) {
        if ((flags & VmFault.FAULT_FLAG_WRITE) == 0) {
            return doReadFault(vma, addr, w);
        }
        if ((vma.flags() & VmFlags.VM_SHARED) == 0) {
            return doCowFault(vma, addr, w);
        }
        return doSharedFault(vma, addr, w);
    }

    private Page fileFolioPage(Vma vma, long addr, int[] fault) {
        Inode inode = vma.file().inode();
        long pgoff = vma.linearPageIndex(addr);
        Folio folio = vm.vfs().findOrCreateFolio(inode, pgoff);
        if (folio == null) {
            fault[0] = vm.vfs().lastFaultOom() ? VmFault.VM_FAULT_OOM : VmFault.VM_FAULT_SIGBUS;
            return null;
        }
        return folio.page(mem, (int) (pgoff - folio.index()));
    }

    /** Mirrors {@code do_read_fault()}: map the page-cache page with the VMA's protection. */
    private int doReadFault(Vma vma, long addr, Walk w) {
        int[] fault = new int[1];
        Page page = fileFolioPage(vma, addr, fault);
        if (page == null) {
            return fault[0];
        }
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkYoung(Level.PTE, fmt.mkLeaf(Level.PTE, page.pfn(), vma.pageProt()));
        return finishFault(vma, w, page.folio(), entry, false);
    }

    /** Mirrors {@code do_cow_fault()}: a private copy of the file page, mapped writable. */
    private int doCowFault(Vma vma, long addr, Walk w) {
        int[] fault = new int[1];
        Page page = fileFolioPage(vma, addr, fault);
        if (page == null) {
            return fault[0];
        }
        vm.rmap().anonVmaPrepare(vma);
        Folio copy = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
        if (copy == null) {
            return VmFault.VM_FAULT_OOM;
        }
        copy.set(Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkLeaf(Level.PTE, copy.pfn(), vma.pageProt());
        if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
            entry = fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry));
        }
        vm.rmap().folioAddNewAnonRmap(copy, vma, addr);
        // The new folio's own reference becomes the mapping's; finishFault must not take another.
        return finishFault(vma, w, copy, fmt.mkYoung(Level.PTE, entry), true);
    }

    /**
     * Mirrors {@code do_shared_fault()}: the filesystem's {@code page_mkwrite} is told the page
     * becomes writable (ext4 allocates blocks; the folio is dirtied), then it is mapped writable.
     */
    private int doSharedFault(Vma vma, long addr, Walk w) {
        int[] fault = new int[1];
        Page page = fileFolioPage(vma, addr, fault);
        if (page == null) {
            return fault[0];
        }
        Folio folio = page.folio();
        folio.set(Folio.PG_DIRTY);
        EntryFormat fmt = vma.mm().pageTables().format();
        long entry = fmt.mkLeaf(Level.PTE, page.pfn(), vma.pageProt());
        entry = fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, fmt.mkWrite(Level.PTE, entry)));
        return finishFault(vma, w, folio, entry, false);
    }

    /**
     * Mirrors {@code finish_fault()} → {@code set_pte_range()}: installs {@code entry} unless
     * someone else filled the PTE meanwhile. A page-cache folio gets a new reference and map
     * count here; a freshly allocated anonymous copy ({@code newAnon}) already has both, and is
     * given back if it lost the race.
     */
    private int finishFault(Vma vma, Walk w, Folio folio, long entry, boolean newAnon) {
        Cpu cpu = vm.cpu();
        EntryFormat fmt = vma.mm().pageTables().format();
        PageTable t = w.table;
        t.ptl().lock(cpu);
        try {
            if (!fmt.none(Level.PTE, t.read(w.index, "finish_fault"))) {
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
            t.write(w.index, entry, "set_pte_range");
        } finally {
            t.ptl().unlock(cpu);
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
    private int doWpPage(Vma vma, long addr, PageTable t, int index, long pte, int flags) {
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
                folio.set(Folio.PG_DIRTY);
            }
            long e = fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, pte)));
            t.write(index, e, "wp_page_reuse");
            return 0;
        }
        if (folio != null && folio.anon()) {
            if (page.pageAnonExclusive() || canReuseAnonFolio(folio)) {
                page.setPageFlag(Page.PG_ANON_EXCLUSIVE);
                if (unshare) {
                    return 0;
                }
                t.write(index, fmt.mkYoung(Level.PTE, fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, pte))),
                        "wp_page_reuse");
                return 0;
            }
        }
        return wpPageCopy(vma, addr, t, index, pte, folio, pfn == mem.zeroFolio().pfn(), unshare);
    }

    /** Mirrors {@code wp_can_reuse_anon_folio()}: only we hold it (one mapping, no other reference). */
    private static boolean canReuseAnonFolio(Folio folio) {
        return !folio.large() && folio.refcount() == 1 && folio.mapcount() == 1;
    }

    private static long maybeMkwrite(EntryFormat fmt, Vma vma, long pte) {
        return (vma.flags() & VmFlags.VM_WRITE) != 0 ? fmt.mkWrite(Level.PTE, pte) : pte;
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
        copy.set(Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        vm.rmap().folioAddNewAnonRmap(copy, vma, addr);
        long entry = fmt.mkLeaf(Level.PTE, copy.pfn(), vma.pageProt());
        if (!unshare) {
            entry = fmt.mkDirty(Level.PTE, maybeMkwrite(fmt, vma, entry));
        }
        entry = fmt.mkYoung(Level.PTE, entry);
        // ptep_clear_flush(): the old translation must be gone from every TLB before the new one
        // is visible, or two CPUs could write two different pages for one address.
        t.getAndClear(index, "ptep_clear_flush");
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), addr, addr + mm.pageSize(), false);
        t.write(index, entry, "set_pte_at_notify");
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

    /** Mirrors {@code do_huge_pmd_anonymous_page()}; returns -1 to fall back to PTEs. */
    private int doHugePmdAnonymousPage(Vma vma, long addr, Walk w) {
        Mm mm = vma.mm();
        Geometry g = mm.pageTables().geometry();
        EntryFormat fmt = mm.pageTables().format();
        int order = g.shift(Level.PMD) - g.pageShift();
        vm.rmap().anonVmaPrepare(vma);
        Folio folio = mem.allocFolio(order, Gfp.HIGHUSER_MOVABLE);
        if (folio == null) {
            return -1;
        }
        folio.set(Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        long haddr = addr & -g.size(Level.PMD);
        vm.rmap().folioAddNewAnonRmap(folio, vma, haddr);
        long entry = fmt.mkLeaf(Level.PMD, folio.pfn(), vma.pageProt());
        if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
            entry = fmt.mkDirty(Level.PMD, fmt.mkWrite(Level.PMD, entry));
        }
        Cpu cpu = vm.cpu();
        w.table.ptl().lock(cpu);
        try {
            w.table.write(w.index, fmt.mkYoung(Level.PMD, entry), "set_pmd_at");
        } finally {
            w.table.ptl().unlock(cpu);
        }
        mm.addRss(true, folio.nrPages());
        return 0;
    }

    /**
     * Write or unshare faults on a present huge mapping (THP or hugetlb): {@code n} consecutive
     * leaves from {@code w}'s entry (a hugetlb contiguous group; 1 otherwise), all changed alike,
     * as arm64's {@code huge_ptep_set_access_flags()} updates every entry of a group.
     */
    private int hugeLeafFault(Vma vma, long addr, Walk w, int n, int flags) {
        EntryFormat fmt = vma.mm().pageTables().format();
        Level level = w.level;
        long e = w.entry;
        boolean write = (flags & VmFault.FAULT_FLAG_WRITE) != 0;
        if ((flags & (VmFault.FAULT_FLAG_WRITE | VmFault.FAULT_FLAG_UNSHARE)) == 0 || fmt.leafWrite(level, e)) {
            for (int i = 0; i < n; i++) {
                long ei = i == 0 ? e : w.table.read(w.index + i, "huge_pmd_set_accessed");
                w.table.write(w.index + i, fmt.mkYoung(level, write ? fmt.mkDirty(level, ei) : ei),
                        "huge_pmd_set_accessed");
            }
            return 0;
        }
        Page head = mem.pfnToPage(fmt.leafPfn(level, e));
        Folio folio = head.folio();
        if ((vma.flags() & VmFlags.VM_SHARED) != 0 || folio.anon()) {
            // Shared hugetlb: no write-notify. Private anonymous huge: exclusive in this model
            // (no fork), so do_huge_pmd_wp_page() / hugetlb_wp() reuse it.
            if (folio.anon()) {
                head.setPageFlag(Page.PG_ANON_EXCLUSIVE);
            }
            if ((flags & VmFault.FAULT_FLAG_UNSHARE) != 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                long ei = i == 0 ? e : w.table.read(w.index + i, "huge_pmd_wp_page");
                long ne = (vma.flags() & VmFlags.VM_WRITE) != 0 ? fmt.mkWrite(level, ei) : ei;
                w.table.write(w.index + i, fmt.mkYoung(level, fmt.mkDirty(level, ne)), "huge_pmd_wp_page");
            }
            return 0;
        }
        return hugetlbCow(vma, addr, w, n, folio, flags);
    }

    /**
     * Mirrors {@code hugetlb_wp()} copying a private hugetlb page-cache folio: every entry of the
     * mapping is cleared and flushed before the copy is mapped by as many new ones.
     */
    private int hugetlbCow(Vma vma, long addr, Walk w, int n, Folio old, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        Geometry g = mm.pageTables().geometry();
        Folio copy = mem.allocFolio(old.order(), Gfp.HIGHUSER);
        if (copy == null) {
            return VmFault.VM_FAULT_OOM;
        }
        copy.set(Folio.PG_HUGETLB | Folio.PG_UPTODATE);
        int hshift = g.pageShift() + old.order();
        long haddr = addr & -(1L << hshift);
        vm.rmap().anonVmaPrepare(vma);
        vm.rmap().folioAddNewAnonRmap(copy, vma, haddr);
        for (int i = 0; i < n; i++) {
            w.table.getAndClear(w.index + i, "huge_ptep_clear_flush");
        }
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), haddr, haddr + (1L << hshift), false);
        long step = g.size(w.level) >>> g.pageShift();
        for (int i = 0; i < n; i++) {
            long entry = fmt.mkLeaf(w.level, copy.pfn() + i * step, vma.pageProt());
            if ((flags & VmFault.FAULT_FLAG_UNSHARE) == 0) {
                entry = fmt.mkDirty(w.level, maybeMkwriteAt(fmt, vma, w.level, entry));
            }
            entry = vm.arch().archMakeHugePte(w.level, fmt.mkYoung(w.level, entry), hshift);
            w.table.write(w.index + i, entry, "set_huge_pte_at");
        }
        vm.rmap().folioRemoveRmap(old);
        mem.folioPut(old);
        return 0;
    }

    private static long maybeMkwriteAt(EntryFormat fmt, Vma vma, Level level, long e) {
        return (vma.flags() & VmFlags.VM_WRITE) != 0 ? fmt.mkWrite(level, e) : e;
    }

    /**
     * Mirrors {@code hugetlb_fault()} / {@code hugetlb_no_page()}: map a whole huge folio with the
     * leaves the architecture lays it out in ({@link VmArch#hugetlbLeaves}: one leaf whose size
     * matches the file's huge page size, or a contiguous group), each entry given its part of the
     * folio and passed through {@code arch_make_huge_pte()}, as {@code set_huge_pte_at()} writes
     * them. The folio gets one reference and one map count for the whole mapping, however many
     * entries it takes. Shared mappings map the page-cache folio; private ones get an anonymous
     * huge folio of their own.
     */
    private int hugetlbFault(Vma vma, long addr, int flags) {
        Mm mm = vma.mm();
        PageTables pt = mm.pageTables();
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        Inode inode = vma.file().inode();
        int hshift = inode.folioPageShift(g.pageShift());
        HugetlbLeaves leaves = vm.arch().hugetlbLeaves(g, hshift);
        if (leaves == null) {
            return VmFault.VM_FAULT_SIGBUS;
        }
        Level level = leaves.level();
        int n = leaves.entries();
        long haddr = addr & -(1L << hshift);
        Walk w = new Walk();
        if (pt.walkAlloc(haddr, level, w, "hugetlb_fault") == null) {
            return VmFault.VM_FAULT_OOM;
        }
        if (!fmt.none(level, w.entry)) {
            return hugeLeafFault(vma, addr, w, n, flags);
        }
        boolean shared = (vma.flags() & VmFlags.VM_SHARED) != 0;
        Folio folio;
        if (shared) {
            folio = vm.vfs().findOrCreateFolio(inode, vma.linearPageIndex(haddr));
            if (folio == null) {
                return vm.vfs().lastFaultOom() ? VmFault.VM_FAULT_OOM : VmFault.VM_FAULT_SIGBUS;
            }
            mem.folioGet(folio);
            vm.rmap().folioAddFileRmap(folio);
        } else {
            if (inode.size() < ((vma.linearPageIndex(haddr) + 1) << g.pageShift())) {
                return VmFault.VM_FAULT_SIGBUS;
            }
            folio = mem.allocFolio(hshift - g.pageShift(), Gfp.HIGHUSER);
            if (folio == null) {
                return VmFault.VM_FAULT_OOM;
            }
            folio.set(Folio.PG_HUGETLB | Folio.PG_UPTODATE);
            vm.rmap().anonVmaPrepare(vma);
            vm.rmap().folioAddNewAnonRmap(folio, vma, haddr);
        }
        long step = g.size(level) >>> g.pageShift();
        for (int i = 0; i < n; i++) {
            long entry = fmt.mkLeaf(level, folio.pfn() + i * step, vma.pageProt());
            if ((flags & VmFault.FAULT_FLAG_WRITE) != 0 || !shared) {
                entry = maybeMkwriteAt(fmt, vma, level, entry);
                if ((flags & VmFault.FAULT_FLAG_WRITE) != 0) {
                    entry = fmt.mkDirty(level, entry);
                }
            }
            entry = vm.arch().archMakeHugePte(level, fmt.mkYoung(level, entry), hshift);
            w.table.write(w.index + i, entry, "set_huge_pte_at");
        }
        mm.addRss(!shared, folio.nrPages());
        return 0;
    }

    /** The leaves a hugetlb VMA's pages take, or null for any other VMA. */
    private HugetlbLeaves hugetlbLeavesOf(Vma vma) {
        if (!vma.isHugetlb()) {
            return null;
        }
        Geometry g = vma.mm().pageTables().geometry();
        return vm.arch().hugetlbLeaves(g, vma.file().inode().folioPageShift(g.pageShift()));
    }

    // ------------------------------------------------------------------ zapping

    /** Which folios a zap may drop; mirrors {@code struct zap_details}. */
    record ZapDetails(org.gupsim.fs.AddressSpace mapping, boolean evenCows) {
    }

    /**
     * Mirrors {@code unmap_page_range()} → {@code zap_pte_range()}: clears every leaf in
     * {@code [start, end)} of {@code vma}, dropping map counts now and mapping references after
     * the TLB flush (through {@code tlb}). Huge leaves only partly covered are split first. A
     * hugetlb page laid out as a contiguous group is zapped whole, as
     * {@code __unmap_hugepage_range()} does with {@code huge_ptep_get_and_clear()}.
     */
    void zapRange(MmuGather tlb, Vma vma, long start, long end, ZapDetails details) {
        PageTables pt = vma.mm().pageTables();
        zapLevel(tlb, vma, pt.root(), pt.geometry().top(), 0, start, end, details, hugetlbLeavesOf(vma));
    }

    private void zapLevel(MmuGather tlb, Vma vma, PageTable table, Level level, long base, long start, long end,
                          ZapDetails details, HugetlbLeaves huge) {
        PageTables pt = vma.mm().pageTables();
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        long size = g.size(level);
        int group = huge != null && huge.level() == level ? huge.entries() : 1;
        int first = (int) (Math.max(0, start - base) >>> g.shift(level));
        first -= first % group;
        int limit = table.nrEntries();
        for (int i = first; i < limit; i++) {
            long eStart = base + (long) i * size;
            if (eStart >= end) {
                break;
            }
            long e = table.read(i, "zap_pte_range");
            if (fmt.none(level, e)) {
                continue;
            }
            if (level == Level.PTE || (fmt.present(level, e) && fmt.leaf(level, e))) {
                long eEnd = eStart + group * size;
                if (group > 1) {
                    // A hugetlb contiguous group: all of it, or (unaligned, which hugetlb VMAs
                    // never are) none of it.
                    if (eStart >= start && eEnd <= end) {
                        zapLeaves(tlb, vma, table, i, group, level, e, eStart, details);
                    }
                    i += group - 1;
                    continue;
                }
                if (level != Level.PTE && (eStart < start || eEnd > end)) {
                    if (vma.isHugetlb()) {
                        continue;
                    }
                    splitHugeLeaf(vma, table, i, level, eStart);
                    e = table.read(i, "zap_pmd_range");
                } else {
                    zapLeaves(tlb, vma, table, i, 1, level, e, eStart, details);
                    continue;
                }
            }
            if (!fmt.present(level, e)) {
                continue;
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child != null) {
                zapLevel(tlb, vma, child, level.below(), eStart, start, end, details, huge);
            }
        }
    }

    /**
     * Clears {@code n} consecutive leaves from {@code table[i]} (first read as {@code e}) that map
     * one folio, and drops that mapping's map count and reference once: one PTE or huge leaf, or a
     * hugetlb contiguous group, whose dirtiness is that of any entry of it.
     */
    private void zapLeaves(MmuGather tlb, Vma vma, PageTable table, int i, int n, Level level, long e, long addr,
                           ZapDetails details) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Page page = null;
        if (fmt.present(level, e) && !(fmt.hasPteSpecial() && fmt.leafSpecial(level, e))) {
            long pfn = fmt.leafPfn(level, e);
            if (pfn != mem.zeroFolio().pfn() && mem.pfnValid(pfn)) {
                page = mem.pfnToPage(pfn);
            }
        }
        Folio folio = page == null ? null : page.folio();
        if (details != null) {
            // should_zap_folio(): unmap_mapping_range() leaves private CoW copies unless even_cows.
            if (folio == null ? !details.evenCows() : (folio.anon() && !details.evenCows())) {
                return;
            }
        }
        Cpu cpu = vm.cpu();
        boolean dirty = false;
        table.ptl().lock(cpu);
        try {
            for (int k = 0; k < n; k++) {
                long old = table.getAndClear(i + k, level == Level.PTE ? "ptep_get_and_clear_full"
                        : "pmdp_huge_get_and_clear_full");
                dirty |= fmt.leafDirty(level, old);
            }
        } finally {
            table.ptl().unlock(cpu);
        }
        long size = pt.geometry().size(level);
        tlb.tlbAdjustRange(addr, n * size);
        if (folio == null) {
            return;
        }
        if (!folio.anon() && dirty) {
            folio.set(Folio.PG_DIRTY);
        }
        vm.rmap().folioRemoveRmap(folio);
        vma.mm().addRss(folio.anon(), -((n * size) >>> pt.geometry().pageShift()));
        tlb.tlbRemovePage(folio);
    }

    /**
     * Mirrors {@code split_huge_pmd_if_needed()}, which {@code vma_adjust_trans_huge()} runs when a
     * VMA is split at {@code addr}: a transparent huge leaf straddling {@code addr} is split into
     * PTEs first, so that each part of the VMA maps only its own pages and can be given its own
     * protection. Hugetlb VMAs only split at huge-page boundaries.
     */
    void splitHugePmdIfNeeded(Vma vma, long addr) {
        if (vma.isHugetlb()) {
            return;
        }
        PageTables pt = vma.mm().pageTables();
        Walk w = pt.walk(addr, new Walk(), "split_huge_pmd_if_needed");
        if (!w.leafPresent || w.level == Level.PTE) {
            return;
        }
        long size = pt.geometry().size(w.level);
        if ((addr & (size - 1)) != 0) {
            splitHugeLeaf(vma, w.table, w.index, w.level, addr & -size);
        }
    }

    /**
     * Mirrors {@code __split_huge_pmd()} for an anonymous THP: the huge leaf becomes a PTE table
     * mapping each subpage; the folio stays large and is now mapped by many PTEs.
     */
    private void splitHugeLeaf(Vma vma, PageTable table, int index, Level level, long addr) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Level below = level.below();
        PageTable fresh = pt.allocTable(below, addr);
        if (fresh == null) {
            throw new IllegalStateException("out of memory splitting a huge mapping");
        }
        long e = table.read(index, "__split_huge_pmd");
        long pfn = fmt.leafPfn(level, e);
        Folio folio = mem.pfnToPage(pfn).folio();
        long subSize = pt.geometry().size(below);
        int n = fresh.nrEntries();
        boolean write = fmt.leafWrite(level, e);
        boolean dirty = fmt.leafDirty(level, e);
        for (int i = 0; i < n; i++) {
            long sub = fmt.mkLeaf(below, pfn + i * (subSize >>> pt.geometry().pageShift()), vma.pageProt());
            if (write) {
                sub = fmt.mkWrite(below, sub);
            }
            if (dirty) {
                sub = fmt.mkDirty(below, sub);
            }
            fresh.write(i, fmt.mkYoung(below, sub), "__split_huge_pmd_locked");
        }
        // Each subpage mapping holds one mapcount and one reference, as a PTE-mapped folio does.
        mem.folioMapcountAdd(folio, n - 1);
        mem.folioRefAdd(folio, n - 1);
        table.write(index, fmt.mkTable(level, fresh.phys()), "pmd_populate");
        vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + pt.geometry().size(level), false);
    }

    // ------------------------------------------------------------- freeing tables

    /**
     * Mirrors {@code free_pgtables()} → {@code free_pgd_range()}: frees the tables that only
     * served {@code [start, end)}, i.e. whose whole span lies within {@code [floor, ceiling)} (the
     * gap left between the neighbouring VMAs). Each goes to {@code tlb_remove_table()} after its
     * parent entry is cleared; the top table is never freed here.
     */
    void freePgtables(MmuGather tlb, Mm mm, long start, long end, long floor, long ceiling) {
        PageTables pt = mm.pageTables();
        freeLevel(tlb, pt, pt.root(), pt.geometry().top(), 0, start, end, floor, ceiling);
    }

    private void freeLevel(MmuGather tlb, PageTables pt, PageTable table, Level level, long base, long start,
                           long end, long floor, long ceiling) {
        if (level == Level.PTE) {
            return;
        }
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        long size = g.size(level);
        int first = (int) (Math.max(0, start - base) >>> g.shift(level));
        for (int i = first; i < table.nrEntries(); i++) {
            long eStart = base + (long) i * size;
            if (eStart >= end) {
                break;
            }
            long e = table.read(i, "free_pgd_range");
            if (fmt.none(level, e) || !fmt.present(level, e) || fmt.leaf(level, e)) {
                continue;
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child == null) {
                continue;
            }
            freeLevel(tlb, pt, child, level.below(), eStart, start, end, floor, ceiling);
            long eEnd = eStart + size;
            if (eStart >= floor && eEnd <= ceiling && child.empty()) {
                table.write(i, 0, level.kernelName() + "_clear");
                tlb.tlbRemoveTable(child, eStart);
            }
        }
    }
}
