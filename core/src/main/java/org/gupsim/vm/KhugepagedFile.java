package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.MappedRange;
import org.gupsim.fs.OpenFile;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.TlbMm;
import org.gupsim.vm.Khugepaged.ScanResult;

/**
 * khugepaged's collapse of a shmem file range into a huge folio, and the retraction of the PTE
 * tables that mapped it. Mirrors mm/khugepaged.c {@code hpage_collapse_scan_file()},
 * {@code collapse_file()} (shmem) and {@code retract_page_tables()}.
 *
 * <p>{@code collapse_file()} locks and isolates every small folio of the range, unmaps it from
 * every mm ({@code try_to_unmap()}, the TLB flush batched until {@code try_to_unmap_flush()}),
 * and gives up if anyone holds a reference beyond the page cache's, its own and the isolation's
 * (a GUP pin). Then the huge folio replaces them in the page cache, and
 * {@code retract_page_tables()} takes the now empty PTE tables out of every mm mapping the range,
 * so that the next fault can map the huge folio by a PMD.
 *
 * <p>Against GUP-fast: a walker that read a PTE before {@code try_to_unmap()} cleared it may grab
 * the page after the reference count was checked; its PTE recheck sees the PTE gone and lets go.
 * Without that recheck it keeps a page the page cache no longer holds (patch
 * {@code no-pte-recheck}). The retracted table is walked by nobody the retraction waited for:
 * before 6.6 the mmap lock for write (taken by trylock), {@code tlb_remove_table_sync_one()} and
 * then {@code pte_free()}; from 6.6 no mmap lock at all, {@code pte_free_defer()}, and the RCU
 * grace period is what GUP-fast's IRQ-off walk and every {@code pte_offset_map()} user hold open
 * ({@link VmFeatures#RETRACT_PAGE_TABLES}).
 *
 * <p>Left out: file (not shmem) collapse, swap and fallocated entries, uffd, the check that holes
 * were not filled meanwhile (XA_RETRY_ENTRY), shmem charging, {@code i_mmap_rwsem}, and the data
 * copy. Empty page-cache slots are passed over without a scheduling point: every filler of a slot
 * takes the page-cache lock, which the kernel's loop holds.
 */
final class KhugepagedFile {
    private final Vm vm;
    private final PhysMem mem;
    private final Khugepaged khugepaged;
    private final VmFeatures.RetractRule retractRule;

    KhugepagedFile(Vm vm, Khugepaged khugepaged, VmFeatures.RetractRule retractRule) {
        this.vm = vm;
        this.mem = vm.mem();
        this.khugepaged = khugepaged;
        this.retractRule = retractRule;
    }

    /**
     * khugepaged's visit of the PMD range at {@code haddr} of {@code mm}'s shmem VMA there, as
     * {@code khugepaged_scan_mm_slot()} makes it: the file and offset found under
     * {@code mmap_read_trylock()}, then without the mmap lock {@code hpage_collapse_scan_file()}
     * and {@code collapse_file()}.
     */
    ScanResult collapseFile(Mm mm, long haddr) {
        Cpu cpu = vm.cpu();
        if (!mm.mmapLock().downReadTrylock(cpu)) {
            return ScanResult.SCAN_FAIL;
        }
        OpenFile file;
        long pgoff;
        try {
            Vma vma = mm.vmaLookup(haddr);
            long size = mm.pageTables().geometry().size(Level.PMD);
            if (vma == null) {
                return ScanResult.SCAN_VMA_NULL;
            }
            if (!vma.isShmem() || haddr + size > vma.vmEnd() || (haddr & (size - 1)) != 0) {
                return ScanResult.SCAN_VMA_CHECK;
            }
            if ((vma.flags() & VmFlags.VM_HUGEPAGE) == 0) {
                return ScanResult.SCAN_VMA_CHECK;
            }
            file = vma.file();
            pgoff = vma.linearPageIndex(haddr);
            vm.vfs().getFile(file);
        } finally {
            mm.mmapLock().upRead(cpu);
        }
        try {
            AddressSpace mapping = file.inode().mapping();
            int nr = 1 << (mm.pageTables().geometry().shift(Level.PMD) - mm.pageShift());
            ScanResult r = hpageCollapseScanFile(mapping, pgoff, nr);
            return r == ScanResult.SCAN_SUCCEED ? collapseFile(mapping, pgoff, nr) : r;
        } finally {
            vm.vfs().fput(file);
        }
    }

    /**
     * Mirrors {@code hpage_collapse_scan_file()}: a look at the range without locks. Every cached
     * folio must be small, on the LRU and held only by the cache and its mappings
     * ({@code folio_ref_count() == 1 + folio_mapcount()}); a GUP pin makes it
     * {@code SCAN_PAGE_COUNT}. With khugepaged's default {@code max_ptes_none} one page suffices.
     */
    private ScanResult hpageCollapseScanFile(AddressSpace mapping, long start, int nr) {
        int present = 0;
        for (long index = start; index < start + nr; index++) {
            if (mapping.peek(index) == null) {
                continue;
            }
            Folio folio = mapping.get(index);
            if (folio == null) {
                continue;
            }
            if (folio.large()) {
                return ScanResult.SCAN_PAGE_COMPOUND;
            }
            if (!folio.test(Folio.PG_LRU)) {
                return ScanResult.SCAN_PAGE_LRU;
            }
            if (mem.folioRefCount(folio) != 1 + folio.mapcount()) {
                return ScanResult.SCAN_PAGE_COUNT;
            }
            present++;
        }
        return present == 0 ? ScanResult.SCAN_EXCEED_NONE_PTE : ScanResult.SCAN_SUCCEED;
    }

    /** Mirrors {@code collapse_file()} for shmem; see the class comment. */
    private ScanResult collapseFile(AddressSpace mapping, long start, int nr) {
        Folio newFolio = mem.allocFolio(Integer.numberOfTrailingZeros(nr), Gfp.HIGHUSER_MOVABLE);
        if (newFolio == null) {
            return ScanResult.SCAN_ALLOC_HUGE_PAGE_FAIL;
        }
        MmInternals.setFlag(newFolio, Folio.PG_LOCKED | Folio.PG_SWAPBACKED);
        MmInternals.setIndex(newFolio, start);
        List<Folio> pagelist = new ArrayList<>();
        List<TlbMm> unmapped = new ArrayList<>();
        ScanResult r = ScanResult.SCAN_SUCCEED;
        int present = 0;
        for (long index = start; index < start + nr && r == ScanResult.SCAN_SUCCEED; index++) {
            if (mapping.peek(index) == null) {
                continue;
            }
            Folio folio = mapping.get(index);
            if (folio == null) {
                continue;
            }
            present++;
            if (!mem.folioTrylock(folio)) {
                r = ScanResult.SCAN_PAGE_LOCK;
                break;
            }
            mem.folioGet(folio);
            // "The folio must be locked, so we can drop the i_pages lock without racing with truncate."
            if (folio.large()) {
                r = ScanResult.SCAN_PAGE_COMPOUND;
            } else if (folio.mapping() != mapping) {
                r = ScanResult.SCAN_TRUNCATED;
            } else if (!khugepaged.folioIsolateLru(folio)) {
                r = ScanResult.SCAN_DEL_PAGE_LRU;
            }
            if (r != ScanResult.SCAN_SUCCEED) {
                mem.folioUnlock(folio);
                mem.folioPut(folio);
                break;
            }
            if (folio.mapcount() > 0) {
                tryToUnmap(folio, unmapped);
            }
            // "We control three references to the folio: we hold a pin on it; one reference from
            // page cache; one from lru_isolate_folio. If those are the only references, then any
            // new usage of the folio will have to fetch it from the page cache. That requires
            // locking the folio to handle truncate, so any new usage will be blocked until we
            // unlock folio after collapse/during rollback."
            if (mem.folioRefCount(folio) != 3) {
                r = ScanResult.SCAN_PAGE_COUNT;
                MmInternals.setFlag(folio, Folio.PG_LRU);
                mem.folioPut(folio);
                mem.folioUnlock(folio);
                mem.folioPut(folio);
                break;
            }
            pagelist.add(folio);
        }
        if (r == ScanResult.SCAN_SUCCEED && present == 0) {
            r = ScanResult.SCAN_TRUNCATED;
        }
        tryToUnmapFlush(unmapped);
        if (r != ScanResult.SCAN_SUCCEED) {
            // rollback: the old folios go back, unmapped (the next fault maps them again).
            for (Folio folio : pagelist) {
                mem.folioUnlock(folio);
                MmInternals.setFlag(folio, Folio.PG_LRU);
                mem.folioPut(folio);
                mem.folioPut(folio);
            }
            MmInternals.clearFlag(newFolio, Folio.PG_LOCKED);
            mem.folioPut(newFolio);
            return r;
        }
        // (The copy.) The huge folio takes the whole range in the page cache, one multi-index
        // entry; the page cache's reference is the one it was allocated with.
        MmInternals.setFlag(newFolio, Folio.PG_UPTODATE | Folio.PG_DIRTY | Folio.PG_LRU);
        MmInternals.setMapping(newFolio, mapping);
        mapping.storeRange(start, nr, newFolio);
        retractPageTables(mapping, start);
        mem.folioUnlock(newFolio);
        // "The collapse has succeeded, so free the old folios."
        for (Folio folio : pagelist) {
            MmInternals.setMapping(folio, null);
            mem.folioUnlock(folio);
            mem.folioPutRefs(folio, 3);
        }
        return ScanResult.SCAN_SUCCEED;
    }

    /**
     * Mirrors {@code try_to_unmap(folio, TTU_BATCH_FLUSH)} for a small file folio: every PTE
     * mapping it is cleared under its PTE lock and the mapping's reference dropped; the TLB flush
     * is left for {@link #tryToUnmapFlush} ({@code set_tlb_ubc_flush_pending()}).
     */
    private void tryToUnmap(Folio folio, List<TlbMm> pending) {
        Cpu cpu = vm.cpu();
        vm.rmap().rmapWalk(folio, (vma, addr, w) -> {
            w.table.ptl().lock(cpu);
            try {
                if (w.table.read(w.index, "try_to_unmap_one") != w.entry) {
                    return true;
                }
                PgtableInternals.getAndClear(w.table, w.index, "ptep_get_and_clear");
                vm.rmap().folioRemoveRmap(folio);
                vma.mm().addRss(false, -1);
            } finally {
                w.table.ptl().unlock(cpu);
            }
            mem.folioPut(folio);
            if (!pending.contains(vma.mm().tlbMm())) {
                pending.add(vma.mm().tlbMm());
            }
            return true;
        });
    }

    /** Mirrors {@code try_to_unmap_flush()}: the batched flushes, one per mm touched. */
    private void tryToUnmapFlush(List<TlbMm> pending) {
        for (TlbMm mm : pending) {
            vm.arch().flushBackend().flushTlbMmRange(mm, 0, Long.MAX_VALUE, false);
        }
        pending.clear();
    }

    /**
     * Mirrors {@code retract_page_tables()}: for every VMA mapping {@code pgoff} (skipping those
     * with anonymous pages and ranges not PMD-aligned), the PMD that points to an (empty) PTE
     * table is cleared and flushed, and the table freed, as {@link VmFeatures#RETRACT_PAGE_TABLES}
     * says.
     */
    private void retractPageTables(AddressSpace mapping, long pgoff) {
        Cpu cpu = vm.cpu();
        for (MappedRange r : new ArrayList<>(mapping.iMmap())) {
            Vma vma = (Vma) r;
            if (vma.anonVma() != null) {
                continue;
            }
            Mm mm = vma.mm();
            Geometry g = mm.pageTables().geometry();
            long size = g.size(Level.PMD);
            long addr = vma.vmStart() + ((pgoff - vma.vmPgoff()) << mm.pageShift());
            if ((addr & (size - 1)) != 0 || vma.vmEnd() < addr + size || addr < vma.vmStart() || mm.dead()) {
                continue;
            }
            if (retractRule == VmFeatures.RetractRule.MMAP_WRITE_TRYLOCK) {
                // Before 6.6: the mmap lock for write, by trylock ("lock inversion: we need to
                // acquire mmap_lock while holding page lock"); an mm we cannot lock is left for later.
                if (!mm.mmapLock().downWriteTrylock(cpu)) {
                    continue;
                }
                try {
                    mm.vmaStartWrite(vma);
                    PageTable table = collapsePmd(mm, vma, addr, size);
                    if (table != null) {
                        khugepaged.tlbRemoveTableSyncOne();
                        mm.pageTables().freeTable(table, "pte_free");
                    }
                } finally {
                    mm.mmapWriteUnlock(cpu);
                }
                continue;
            }
            PageTable table = collapsePmd(mm, vma, addr, size);
            if (table == null) {
                continue;
            }
            if (retractRule == VmFeatures.RetractRule.FREE_NOW) {
                mm.pageTables().freeTable(table, "pte_free");
            } else {
                // pte_free_defer(): call_rcu(pte_free_now).
                PageTables pt = mm.pageTables();
                vm.smp().rcu().callRcu(() -> pt.freeTable(table, "pte_free_now"));
            }
        }
    }

    /**
     * Under the PMD lock and the PTE lock, {@code pmdp_collapse_flush()} of the PMD at
     * {@code addr} if it still points to a PTE table; returns that table, or null.
     */
    private PageTable collapsePmd(Mm mm, Vma vma, long addr, long size) {
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        Walk w = new Walk();
        if (khugepaged.findPmdOrThpOrNone(mm, addr, w) != ScanResult.SCAN_SUCCEED) {
            return null;
        }
        Cpu cpu = vm.cpu();
        PageTable pmdTable = w.table;
        pmdTable.ptl().lock(cpu);
        try {
            long pmd = pmdTable.read(w.index, "retract_page_tables");
            if (fmt.none(Level.PMD, pmd) || !fmt.present(Level.PMD, pmd) || fmt.leaf(Level.PMD, pmd)
                    || vma.anonVma() != null) {
                return null;
            }
            PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, pmd));
            if (ptes == null) {
                return null;
            }
            ptes.ptl().lock(cpu);
            try {
                khugepaged.pmdpCollapseFlush(mm, pmdTable, w.index, addr, size);
            } finally {
                ptes.ptl().unlock(cpu);
            }
            return ptes;
        } finally {
            pmdTable.ptl().unlock(cpu);
        }
    }
}
