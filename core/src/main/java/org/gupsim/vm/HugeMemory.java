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
 * Transparent huge pages. Mirrors mm/huge_memory.c: {@code do_huge_pmd_anonymous_page()},
 * {@code huge_pmd_set_accessed()} and {@code do_huge_pmd_wp_page()} on a present huge leaf, and
 * {@code __split_huge_pmd()} with {@code split_huge_pmd_if_needed()}. The write and access
 * handling of a present huge leaf also serves hugetlb's contiguous groups (see
 * {@link #hugeLeafFault}).
 */
final class HugeMemory extends VmPart {
    HugeMemory(Vm vm) {
        super(vm);
    }

    /**
     * Whether a fault at {@code addr} may map a PMD-sized anonymous folio: an anonymous
     * {@code VM_HUGEPAGE} VMA covering the whole aligned range, on a geometry with PMD leaves.
     * The model's subset of {@code thp_vma_allowable_order()} and {@code thp_vma_suitable_order()}.
     */
    boolean thpEligible(Vma vma, long addr) {
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

    /** Mirrors {@code do_huge_pmd_anonymous_page()}; returns -1 to fall back to PTEs. */
    int doHugePmdAnonymousPage(Vma vma, long addr, Walk w) {
        Mm mm = vma.mm();
        Geometry g = mm.pageTables().geometry();
        EntryFormat fmt = mm.pageTables().format();
        int order = g.shift(Level.PMD) - g.pageShift();
        vm.rmap().anonVmaPrepare(vma);
        Folio folio = mem.allocFolio(order, Gfp.HIGHUSER_MOVABLE);
        if (folio == null) {
            return -1;
        }
        MmInternals.setFlag(folio, Folio.PG_SWAPBACKED | Folio.PG_UPTODATE | Folio.PG_LRU);
        long haddr = addr & -g.size(Level.PMD);
        vm.rmap().folioAddNewAnonRmap(folio, vma, haddr);
        long entry = fmt.mkLeaf(Level.PMD, folio.pfn(), vma.pageProt());
        if ((vma.flags() & VmFlags.VM_WRITE) != 0) {
            entry = fmt.mkDirty(Level.PMD, fmt.mkWrite(Level.PMD, entry));
        }
        Cpu cpu = vm.cpu();
        w.table.ptl().lock(cpu);
        try {
            PgtableInternals.write(w.table, w.index, fmt.mkYoung(Level.PMD, entry), "set_pmd_at");
        } finally {
            w.table.ptl().unlock(cpu);
        }
        mm.addRss(true, folio.nrPages());
        return 0;
    }

    /**
     * Faults on a present huge mapping (THP or hugetlb). For a THP this mirrors
     * {@code wp_huge_pmd()} → {@code do_huge_pmd_wp_page()} on a write or unshare to a read-only
     * leaf, and {@code huge_pmd_set_accessed()} otherwise; {@link Hugetlb#hugetlbFault} sends its
     * present entries here too, as {@code hugetlb_fault()} takes the same two ways
     * ({@code hugetlb_wp()} reusing the folio, or {@code huge_ptep_set_access_flags()}).
     * {@code n} consecutive leaves from {@code w}'s entry (a hugetlb contiguous group; 1
     * otherwise) are all changed alike, as arm64's {@code huge_ptep_set_access_flags()} updates
     * every entry of a group. A private page-cache folio is copied by {@link Hugetlb#hugetlbCow}.
     */
    int hugeLeafFault(Vma vma, long addr, Walk w, int n, int flags) {
        EntryFormat fmt = vma.mm().pageTables().format();
        Level level = w.level;
        long e = w.entry;
        boolean write = (flags & VmFault.FAULT_FLAG_WRITE) != 0;
        if ((flags & (VmFault.FAULT_FLAG_WRITE | VmFault.FAULT_FLAG_UNSHARE)) == 0 || fmt.leafWrite(level, e)) {
            for (int i = 0; i < n; i++) {
                long ei = i == 0 ? e : w.table.read(w.index + i, "huge_pmd_set_accessed");
                PgtableInternals.write(w.table, w.index + i, fmt.mkYoung(level, write ? fmt.mkDirty(level, ei) : ei),
                        "huge_pmd_set_accessed");
            }
            return 0;
        }
        if (!vma.isHugetlb() && !vma.isAnonymous()) {
            // wp_huge_pmd() on a page-cache THP: "COW or write-notify handled on pte level: split
            // pmd" (shmem and ext4 have no ->huge_fault()). The split of a file PMD unmaps it
            // whole; the fault goes on at PTE level with the PMD none (do_fault()).
            splitHugeLeaf(vma, w.table, w.index, level, addr & -vma.mm().pageTables().geometry().size(level));
            return VmFault.VM_FAULT_FALLBACK;
        }
        Page head = mem.pfnToPage(fmt.leafPfn(level, e));
        Folio folio = head.folio();
        boolean reuse = (vma.flags() & VmFlags.VM_SHARED) != 0;  // shared hugetlb: no write-notify
        if (!reuse && folio.anon()) {
            reuse = folio.hugetlb() ? hugetlbCanReuse(folio) : thpCanReuse(folio);
            if (!reuse && !folio.hugetlb()) {
                // do_huge_pmd_wp_page(): someone else still maps or holds it; split the PMD and
                // let the PTE fault copy the one page written.
                splitHugeLeaf(vma, w.table, w.index, level, addr & -vma.mm().pageTables().geometry().size(level));
                return VmFault.VM_FAULT_FALLBACK;
            }
            if (reuse && !head.pageAnonExclusive()) {
                vm.rmap().folioMoveAnonRmap(folio, vma);
                for (int i = 0; i < folio.nrPages(); i++) {
                    MmInternals.setPageFlag(folio.page(mem, i), Page.PG_ANON_EXCLUSIVE);
                }
            }
        }
        if (reuse) {
            if ((flags & VmFault.FAULT_FLAG_UNSHARE) != 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                long ei = i == 0 ? e : w.table.read(w.index + i, "huge_pmd_wp_page");
                long ne = Faults.maybeMkwrite(fmt, vma, level, ei);
                PgtableInternals.write(w.table, w.index + i, fmt.mkYoung(level, fmt.mkDirty(level, ne)), "huge_pmd_wp_page");
            }
            return 0;
        }
        return vm.hugetlb.hugetlbCow(vma, addr, w, n, folio, flags);
    }

    /**
     * The reuse test of {@code do_huge_pmd_wp_page()}: an exclusive THP is reused; otherwise only
     * if the one reference is this mapping's (after fork, the child's mapping and a pin both hold
     * references, so the PMD is split and the written page copied).
     */
    private boolean thpCanReuse(Folio folio) {
        return folio.pageAnonExclusive() || mem.folioRefCount(folio) == 1;
    }

    /**
     * The reuse test of {@code hugetlb_wp()} for a private hugetlb page: exclusive, or mapped by
     * this process alone ({@code folio_mapcount() == 1}; hugetlb does not use the refcount here).
     * UNCONFIRMED: mm/hugetlb.c was not read; see docs/kernel/fork-cow.md.
     */
    private static boolean hugetlbCanReuse(Folio folio) {
        return folio.pageAnonExclusive() || folio.mapcount() == 1;
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
     * Mirrors {@code __split_huge_pmd()} → {@code __split_huge_pmd_locked()}. For an anonymous THP
     * the huge leaf becomes a PTE table mapping each subpage; the folio stays large and is now
     * mapped by many PTEs. A page-cache THP is not remapped at all ({@link #splitFilePmdLocked}):
     * its PMD is cleared and its pages fault back in by PTEs (or by a PMD again) later.
     */
    void splitHugeLeaf(Vma vma, PageTable table, int index, Level level, long addr) {
        if (!vma.isAnonymous()) {
            splitFilePmdLocked(vma, table, index, level, addr);
            return;
        }
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Level below = level.below();
        // __split_huge_pmd_locked(): the table deposited when the leaf was made (by collapse),
        // else a new one (the model's THP faults deposit none).
        PageTable fresh = level == Level.PMD ? vm.arch().pgtableTransHugeWithdraw(table) : null;
        if (fresh == null) {
            fresh = PgtableInternals.allocTable(pt, below, addr);
        }
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
            PgtableInternals.write(fresh, i, fmt.mkYoung(below, sub), "__split_huge_pmd_locked");
        }
        // Each subpage mapping holds one mapcount and one reference, as a PTE-mapped folio does.
        MmInternals.folioMapcountAdd(mem, folio, n - 1);
        mem.folioRefAdd(folio, n - 1);
        PgtableInternals.write(table, index, fmt.mkTable(level, fresh.phys()), "pmd_populate");
        vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + pt.geometry().size(level), false);
    }


    /**
     * {@code __split_huge_pmd_locked()} for a VMA that is not anonymous ("!vma_is_anonymous(vma)",
     * mm/huge_memory.c since file THPs, 4.8): "We are going to unmap this huge page. So just go
     * ahead and zap it". Under the PMD lock, {@code pmdp_huge_clear_flush()} clears the PMD and
     * flushes its range from every TLB; the folio inherits the PMD's dirty and young bits
     * ({@code folio_mark_dirty()}, {@code folio_set_referenced()}), loses the PMD's map count
     * ({@code folio_remove_rmap_pmd()}) and reference ({@code folio_put()}, after the flush, so no
     * CPU still reaches the pages through the old entry), and the file RSS drops by the PMD's
     * pages. No PTE table is made: whoever touches the range next faults it in. A GUP-fast walker
     * that read the PMD before the clear sees it changed when it rechecks, as for any zap. Left
     * out: {@code zap_deposited_table()}, which only {@code arch_needs_pgtable_deposit()} (ppc64
     * hash) does for a file PMD, and gupsim's {@code do_set_pmd()} deposits nothing there; DAX and
     * special (PFN-map) VMAs, which gupsim has no huge mappings of.
     */
    private void splitFilePmdLocked(Vma vma, PageTable table, int index, Level level, long haddr) {
        Mm mm = vma.mm();
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        long size = pt.geometry().size(level);
        Cpu cpu = vm.cpu();
        table.ptl().lock(cpu);
        try {
            long old = PgtableInternals.getAndClear(table, index, "pmdp_huge_clear_flush");
            vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), haddr, haddr + size, false);
            Folio folio = mem.pfnToPage(fmt.leafPfn(level, old)).folio();
            if (fmt.leafDirty(level, old)) {
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
            }
            if (fmt.leafYoung(level, old)) {
                MmInternals.setFlag(folio, Folio.PG_REFERENCED);
            }
            vm.rmap().folioRemoveRmap(folio);
            mem.folioPut(folio);
            mm.addRss(false, -(size >>> pt.geometry().pageShift()));
        } finally {
            table.ptl().unlock(cpu);
        }
    }
}
