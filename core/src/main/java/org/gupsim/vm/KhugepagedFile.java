package org.gupsim.vm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.Validate;
import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.MappedRange;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.internal.FsInternals;
import org.gupsim.mm.Errno;
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
 * {@code collapse_file()} (shmem) and {@code retract_page_tables()}; and {@code madvise_collapse()},
 * which runs the same collapse (or, for anonymous memory, {@code collapse_huge_page()}) from the
 * caller's context and then {@link CollapsePteMapped}.
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
    private final CollapsePteMapped pteMapped;

    KhugepagedFile(Vm vm, Khugepaged khugepaged, VmFeatures.RetractRule retractRule) {
        this.vm = vm;
        this.mem = vm.mem();
        this.khugepaged = khugepaged;
        this.retractRule = retractRule;
        this.pteMapped = new CollapsePteMapped(vm, khugepaged, retractRule);
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
            ScanResult r = hpageCollapseScanFile(mapping, pgoff, nr, true);
            r = r == ScanResult.SCAN_SUCCEED ? collapseFile(mapping, pgoff, nr, false) : r;
            return r == ScanResult.SCAN_PTE_MAPPED_HUGEPAGE ? khugepagedCollapsePteMappedThp(mm, haddr) : r;
        } finally {
            vm.vfs().fput(file);
        }
    }

    /**
     * khugepaged's answer to a range the page cache already holds as one huge folio:
     * {@code collapse_pte_mapped_thp(mm, addr, false)} (the table goes; the next fault maps the
     * folio by a PMD). From 6.6 at once under {@code mmap_read_lock()}; before, khugepaged queued
     * the address ({@code khugepaged_add_pte_mapped_thp()}) and came back to it under
     * {@code mmap_write_trylock()}, which gupsim does at once, skipping the mm if the trylock
     * fails.
     */
    private ScanResult khugepagedCollapsePteMappedThp(Mm mm, long haddr) {
        Cpu cpu = vm.cpu();
        if (pteMapped.needsMmapWriteLock()) {
            if (!mm.mmapLock().downWriteTrylock(cpu)) {
                return ScanResult.SCAN_PTE_MAPPED_HUGEPAGE;
            }
            try {
                return succeedIfMapped(mm.dead() ? ScanResult.SCAN_ANY_PROCESS
                        : pteMapped.collapsePteMappedThp(mm, haddr, false));
            } finally {
                mm.mmapWriteUnlock(cpu);
            }
        }
        mm.mmapLock().downRead(cpu);
        try {
            return succeedIfMapped(mm.dead() ? ScanResult.SCAN_ANY_PROCESS
                    : pteMapped.collapsePteMappedThp(mm, haddr, false));
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }

    private static ScanResult succeedIfMapped(ScanResult r) {
        return r == ScanResult.SCAN_PMD_MAPPED ? ScanResult.SCAN_SUCCEED : r;
    }

    /**
     * Mirrors {@code madvise_collapse()} for a shmem mapping, with the mmap lock held for read
     * (as {@code madvise()} takes it for MADV_COLLAPSE): for each PMD range in
     * {@code [start, end)}, the file and offset are found, the lock dropped,
     * {@code hpage_collapse_scan_file()} and {@code collapse_file()} run as for khugepaged (but
     * with no minimum of present pages), and where the page cache then holds one huge folio
     * ({@code SCAN_PTE_MAPPED_HUGEPAGE}: just collapsed, or found so),
     * {@code collapse_pte_mapped_thp(mm, addr, true)} retracts this mm's table and installs a
     * huge PMD, under the mmap lock for read (for write before 6.6). The lock is taken again and
     * the VMA revalidated for the next range, and held on return. Errors as
     * {@code madvise_collapse_errno()}: -ENOMEM, -EBUSY, -EAGAIN (try again), else -EINVAL.
     *
     * <p>For anonymous memory {@code hpage_collapse_scan_pmd()} looks at the PTEs under the
     * caller's mmap read lock, and {@code collapse_huge_page()} drops it (as for khugepaged, but
     * without khugepaged's sysfs and recently-used requirements). Regular files
     * (CONFIG_READ_ONLY_THP_FOR_FS) are not modelled: -EINVAL, as without that option.
     *
     * <p>{@code [start, end)} lies in {@code vma}: {@code madvise_walk_vmas()} calls this for the
     * part of each VMA in the advised range ({@code BUG_ON(vma->vm_start > start)},
     * {@code BUG_ON(vma->vm_end < end)}), so each VMA's PMD-aligned ranges are collapsed in turn.
     */
    long madviseCollapse(Vma vma, long start, long end) {
        Validate.isTrue(vma.vmStart() <= start && end <= vma.vmEnd(), "the range must lie in the VMA");
        Mm mm = vma.mm();
        Cpu cpu = vm.cpu();
        long size = mm.pageTables().geometry().size(Level.PMD);
        if (!collapsible(vma) || !mm.pageTables().geometry().leafAllowed(Level.PMD)) {
            return Errno.EINVAL.negative();
        }
        int nr = 1 << (mm.pageTables().geometry().shift(Level.PMD) - mm.pageShift());
        long hstart = (start + size - 1) & -size;
        long hend = end & -size;
        int thps = 0;
        ScanResult lastFail = ScanResult.SCAN_FAIL;
        boolean locked = true;
        try {
            for (long addr = hstart; addr < hend; addr += size) {
                if (!locked) {
                    mm.mmapLock().downRead(cpu);
                    locked = true;
                    vma = mm.vmaLookup(addr);
                    if (vma == null || !collapsible(vma) || addr < vma.vmStart() || addr + size > vma.vmEnd()) {
                        lastFail = ScanResult.SCAN_VMA_CHECK;
                        break;
                    }
                    hend = Math.min(hend, vma.vmEnd() & -size);
                }
                ScanResult r;
                if (vma.isAnonymous()) {
                    r = khugepaged.hpageCollapseScanPmd(mm, vma, addr, false);
                    if (r == ScanResult.SCAN_SUCCEED) {
                        // "collapse_huge_page will return with the mmap_lock released"
                        mm.mmapLock().upRead(cpu);
                        locked = false;
                        r = khugepaged.collapseHugePage(mm, addr, false);
                    }
                } else {
                    OpenFile file = vma.file();
                    long pgoff = vma.linearPageIndex(addr);
                    vm.vfs().getFile(file);
                    mm.mmapLock().upRead(cpu);
                    locked = false;
                    try {
                        AddressSpace mapping = file.inode().mapping();
                        r = hpageCollapseScanFile(mapping, pgoff, nr, false);
                        r = r == ScanResult.SCAN_SUCCEED ? collapseFile(mapping, pgoff, nr, true) : r;
                    } finally {
                        vm.vfs().fput(file);
                    }
                }
                if (r == ScanResult.SCAN_PTE_MAPPED_HUGEPAGE) {
                    r = madviseCollapsePteMappedThp(mm, addr);
                }
                if (r == ScanResult.SCAN_SUCCEED || r == ScanResult.SCAN_PMD_MAPPED) {
                    thps++;
                } else {
                    lastFail = r;
                    if (!MADV_COLLAPSE_GOES_ON.contains(r)) {
                        break;
                    }
                }
            }
        } finally {
            // "Caller expects us to hold mmap_lock on return"
            if (!locked) {
                mm.mmapLock().downRead(cpu);
            }
        }
        return thps == (hend - hstart) / size ? 0 : madviseCollapseErrno(lastFail).negative();
    }

    /** What MADV_COLLAPSE works on in gupsim: anonymous memory and shmem. */
    private static boolean collapsible(Vma vma) {
        return vma.isAnonymous() || vma.isShmem();
    }

    /** The results after which {@code madvise_collapse()} goes on to the next range. */
    private static final Set<ScanResult> MADV_COLLAPSE_GOES_ON = EnumSet.of(
            ScanResult.SCAN_PMD_NULL, ScanResult.SCAN_PTE_NON_PRESENT, ScanResult.SCAN_PAGE_RO,
            ScanResult.SCAN_LACK_REFERENCED_PAGE, ScanResult.SCAN_PAGE_NULL, ScanResult.SCAN_PAGE_COUNT,
            ScanResult.SCAN_PAGE_LOCK, ScanResult.SCAN_PAGE_COMPOUND, ScanResult.SCAN_PAGE_LRU,
            ScanResult.SCAN_DEL_PAGE_LRU);

    /** {@code collapse_pte_mapped_thp(mm, addr, true)} under the mmap lock MADV_COLLAPSE takes for it. */
    private ScanResult madviseCollapsePteMappedThp(Mm mm, long addr) {
        Cpu cpu = vm.cpu();
        if (pteMapped.needsMmapWriteLock()) {
            mm.mmapLock().downWrite(cpu);
            try {
                return pteMapped.collapsePteMappedThp(mm, addr, true);
            } finally {
                mm.mmapWriteUnlock(cpu);
            }
        }
        mm.mmapLock().downRead(cpu);
        try {
            return pteMapped.collapsePteMappedThp(mm, addr, true);
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }

    /** Mirrors {@code madvise_collapse_errno()}. */
    private static Errno madviseCollapseErrno(ScanResult r) {
        return switch (r) {
            case SCAN_ALLOC_HUGE_PAGE_FAIL -> Errno.ENOMEM;
            case SCAN_EXCEED_NONE_PTE -> Errno.EBUSY;
            case SCAN_PAGE_COUNT, SCAN_PAGE_LOCK, SCAN_PAGE_LRU, SCAN_DEL_PAGE_LRU -> Errno.EAGAIN;
            default -> Errno.EINVAL;
        };
    }

    /**
     * Mirrors {@code hpage_collapse_scan_file()}: a look at the range without locks. Every cached
     * folio must be small, on the LRU and held only by the cache and its mappings
     * ({@code folio_ref_count() == 1 + folio_mapcount()}); a GUP pin makes it
     * {@code SCAN_PAGE_COUNT}. With khugepaged's default {@code max_ptes_none} one page suffices;
     * MADV_COLLAPSE ({@code khugepaged} false) needs none. A PMD-sized folio at the start of the
     * range is {@code SCAN_PTE_MAPPED_HUGEPAGE} ("Maybe PMD-mapped").
     */
    private ScanResult hpageCollapseScanFile(AddressSpace mapping, long start, int nr, boolean khugepaged) {
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
                return folio.nrPages() == nr && folio.index() == start ? ScanResult.SCAN_PTE_MAPPED_HUGEPAGE
                        : ScanResult.SCAN_PAGE_COMPOUND;
            }
            if (!folio.test(Folio.PG_LRU)) {
                return ScanResult.SCAN_PAGE_LRU;
            }
            if (mem.folioRefCount(folio) != 1 + folio.mapcount()) {
                return ScanResult.SCAN_PAGE_COUNT;
            }
            present++;
        }
        return present == 0 && khugepaged ? ScanResult.SCAN_EXCEED_NONE_PTE : ScanResult.SCAN_SUCCEED;
    }

    /**
     * Mirrors {@code collapse_file()} for shmem; see the class comment. For MADV_COLLAPSE
     * ({@code madvise}) success is {@code SCAN_PTE_MAPPED_HUGEPAGE}, so that the caller maps the
     * new folio by a PMD.
     */
    private ScanResult collapseFile(AddressSpace mapping, long start, int nr, boolean madvise) {
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
                // "If file was truncated then extended, or hole-punched, before we locked the
                // first folio, then a THP might be there already."
                r = folio.nrPages() == nr && folio.index() == start ? ScanResult.SCAN_PTE_MAPPED_HUGEPAGE
                        : ScanResult.SCAN_PAGE_COMPOUND;
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
        FsInternals.storeRange(mapping, start, nr, newFolio);
        retractPageTables(mapping, start);
        // "If MADV_COLLAPSE, adjust result to call collapse_pte_mapped_thp()."
        ScanResult done = madvise ? ScanResult.SCAN_PTE_MAPPED_HUGEPAGE : ScanResult.SCAN_SUCCEED;
        mem.folioUnlock(newFolio);
        // "The collapse has succeeded, so free the old folios."
        for (Folio folio : pagelist) {
            MmInternals.setMapping(folio, null);
            mem.folioUnlock(folio);
            mem.folioPutRefs(folio, 3);
        }
        return done;
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
