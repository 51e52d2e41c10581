package org.gupsim.vm;

import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.MmuGather;

/**
 * Zapping user mappings. Mirrors mm/memory.c {@code unmap_page_range()} and its
 * {@code zap_p4d_range()} ... {@code zap_pte_range()} walk: leaves are cleared under the page-table
 * lock, map counts dropped at once and the mapping's references handed to the
 * {@code mmu_gather} to be dropped after the TLB flush.
 */
final class Zap extends VmPart {
    Zap(Vm vm) {
        super(vm);
    }

    /**
     * Which folios a zap may drop, and whether it may free the PTE tables it empties; mirrors
     * {@code struct zap_details}.
     *
     * @param reclaimPt {@code reclaim_pt}: with CONFIG_PT_RECLAIM, free a PTE table the zap left
     *                  empty ({@code madvise(MADV_DONTNEED)} asks for it)
     */
    record ZapDetails(AddressSpace mapping, boolean evenCows, boolean reclaimPt) {
        ZapDetails(AddressSpace mapping, boolean evenCows) {
            this(mapping, evenCows, false);
        }
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
        zapLevel(tlb, vma, pt.root(), pt.geometry().top(), 0, start, end, details, vm.hugetlb.hugetlbLeavesOf(vma));
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
        // zap_pte_range() holds the PTE lock over the whole range (pte_offset_map_lock()). Every
        // writer of an empty entry (a fault) takes that lock too, so while it is held an empty
        // entry stays empty: reading it races with no one, and the model skips it without a step.
        boolean pteLevel = level == Level.PTE;
        Cpu cpu = vm.cpu();
        if (pteLevel) {
            table.ptl().lock(cpu);
        }
        try {
            zapEntries(tlb, vma, table, level, base, start, end, details, huge, first, limit, group, pteLevel);
        } finally {
            if (pteLevel) {
                table.ptl().unlock(cpu);
            }
        }
    }

    private void zapEntries(MmuGather tlb, Vma vma, PageTable table, Level level, long base, long start, long end,
                            ZapDetails details, HugetlbLeaves huge, int first, int limit, int group, boolean locked) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        long size = pt.geometry().size(level);
        for (int i = first; i < limit; i++) {
            long eStart = base + (long) i * size;
            if (eStart >= end) {
                break;
            }
            if (locked && table.peek(i) == 0) {
                continue;
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
                        zapLeaves(tlb, vma, table, i, group, level, e, eStart, details, locked);
                    }
                    i += group - 1;
                    continue;
                }
                if (level != Level.PTE && (eStart < start || eEnd > end)) {
                    if (vma.isHugetlb()) {
                        continue;
                    }
                    vm.hugeMemory.splitHugeLeaf(vma, table, i, level, eStart);
                    e = table.read(i, "zap_pmd_range");
                } else {
                    zapLeaves(tlb, vma, table, i, 1, level, e, eStart, details, locked);
                    continue;
                }
            }
            if (!fmt.present(level, e)) {
                continue;
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child != null) {
                zapLevel(tlb, vma, child, level.below(), eStart, start, end, details, huge);
                // reclaim_pt_is_enabled(): the zap covered this PTE table's whole range.
                if (level == Level.PMD && details != null && details.reclaimPt() && eStart >= start
                        && eStart + size <= end) {
                    tryToFreePte(tlb, vma.mm(), table, i, eStart);
                }
            }
        }
    }

    /**
     * The non-present branch of {@code zap_pte_range()}: a swap entry gives its slot count back
     * ({@code free_swap_and_cache()}: the swap-cache folio goes too if nothing else needs it), a
     * migration entry just goes (migration still holds the folio); private swapped-out pages
     * count as CoW copies for {@code unmap_mapping_range()}.
     */
    private void zapSwapPte(MmuGather tlb, Vma vma, PageTable table, int i, long e, long addr, ZapDetails details,
                            boolean locked) {
        EntryFormat fmt = vma.mm().pageTables().format();
        boolean swapEntry = SwapOps.isSwapEntry(fmt, e);
        if (details != null && !details.evenCows()) {
            if (swapEntry) {
                return;
            }
            Folio folio = mem.pfnToPage(fmt.swpOffset(e)).folio();
            if (folio.anon()) {
                return;
            }
        }
        Cpu cpu = vm.cpu();
        if (!locked) {
            table.ptl().lock(cpu);
        }
        try {
            PgtableInternals.getAndClear(table, i, "pte_clear_not_present_full");
        } finally {
            if (!locked) {
                table.ptl().unlock(cpu);
            }
        }
        if (swapEntry) {
            MmInternals.freeSwapAndCache(mem.swap(), fmt.swpOffset(e));
        } else {
            vma.mm().addRss(true, -1);
        }
    }

    /**
     * Mirrors mm/pt_reclaim.c {@code try_to_free_pte()} (CONFIG_PT_RECLAIM), after
     * {@code zap_pte_range()} emptied the PTE table {@code pmdTable[index]} points to: under the
     * PMD lock and the PTE lock, if every entry is still none (a fault may have refilled one
     * since), the PMD entry is cleared and the table handed to {@code pte_free_tlb()}, which frees
     * it through the mmu_gather: after the TLB flush, and after an RCU grace period, since
     * PT_RECLAIM needs MMU_GATHER_RCU_TABLE_FREE. Unlike munmap, this runs under the mmap lock for
     * read or only the VMA lock: page faults and GUP's slow path may be in the table meanwhile, and
     * GUP-fast may be anywhere; the PMD lock keeps the first two out, RCU the last. The kernel tries
     * {@code try_get_and_clear_pmd()} first (a trylock of the PMD lock while still holding the PTE
     * lock); the model always takes this slower path, which does the same under the same locks.
     */
    private void tryToFreePte(MmuGather tlb, Mm mm, PageTable pmdTable, int index, long addr) {
        EntryFormat fmt = mm.pageTables().format();
        Cpu cpu = vm.cpu();
        PageTable ptes;
        pmdTable.ptl().lock(cpu);
        try {
            // pte_offset_map_rw_nolock(): the PMD may have changed since the zap walked it.
            long pmd = pmdTable.read(index, "pte_offset_map_rw_nolock");
            if (fmt.none(Level.PMD, pmd) || !fmt.present(Level.PMD, pmd) || fmt.leaf(Level.PMD, pmd)) {
                return;
            }
            ptes = mm.pageTables().tableAt(fmt.tablePhys(Level.PMD, pmd));
            if (ptes == null) {
                return;
            }
            ptes.ptl().lock(cpu);
            try {
                // Both locks are held: no one can fill an entry, so reading them races with no one.
                if (!ptes.empty()) {
                    return;
                }
                PgtableInternals.write(pmdTable, index, 0, "pmd_clear");
            } finally {
                ptes.ptl().unlock(cpu);
            }
        } finally {
            pmdTable.ptl().unlock(cpu);
        }
        // free_pte() -> pte_free_tlb()
        tlb.tlbRemoveTable(ptes, addr);
    }

    /**
     * Clears {@code n} consecutive leaves from {@code table[i]} (first read as {@code e}) that map
     * one folio, and drops that mapping's map count and reference once: one PTE or huge leaf, or a
     * hugetlb contiguous group, whose dirtiness is that of any entry of it.
     */
    private void zapLeaves(MmuGather tlb, Vma vma, PageTable table, int i, int n, Level level, long e, long addr,
                           ZapDetails details, boolean locked) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        if (level == Level.PTE && fmt.isSwapPte(e)) {
            zapSwapPte(tlb, vma, table, i, e, addr, details, locked);
            return;
        }
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
        if (!locked) {
            table.ptl().lock(cpu);
        }
        try {
            for (int k = 0; k < n; k++) {
                long old = PgtableInternals.getAndClear(table, i + k, vm.arch().ptepGetAndClearOrder(), level == Level.PTE ? "ptep_get_and_clear_full"
                        : "pmdp_huge_get_and_clear_full");
                dirty |= fmt.leafDirty(level, old);
            }
            if (level == Level.PMD && !vma.isHugetlb()) {
                // zap_huge_pmd() -> zap_deposited_table(): the PTE table deposited for this huge
                // leaf (by khugepaged's collapse) is freed at once with pte_free(). It was unhooked
                // when the leaf was made; collapse's tlb_remove_table_sync_one() is what ensured no
                // lockless walker still used it.
                PageTable deposited = vm.arch().pgtableTransHugeWithdraw(table);
                if (deposited != null) {
                    pt.freeTable(deposited, "zap_deposited_table");
                }
            }
        } finally {
            if (!locked) {
                table.ptl().unlock(cpu);
            }
        }
        long size = pt.geometry().size(level);
        tlb.tlbAdjustRange(addr, n * size);
        if (folio == null) {
            return;
        }
        if (!folio.anon() && dirty) {
            MmInternals.setFlag(folio, Folio.PG_DIRTY);
        }
        vm.rmap().folioRemoveRmap(folio);
        vma.mm().addRss(folio.anon(), -((n * size) >>> pt.geometry().pageShift()));
        tlb.tlbRemovePage(folio);
    }

}
