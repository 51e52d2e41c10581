package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.Cpu;
import org.gupsim.tlb.RcuTableFree;

/**
 * khugepaged's collapse of an anonymous PMD range into a transparent huge page. Mirrors
 * mm/khugepaged.c {@code hpage_collapse_scan_pmd()}, {@code collapse_huge_page()},
 * {@code __collapse_huge_page_isolate()} and {@code __collapse_huge_page_copy()}.
 *
 * <p>How it stays safe against GUP-fast, which takes no lock at all. The collapse holds the mmap
 * lock for write, write-locks the VMA and the anon_vma, so faults, the slow path and rmap walkers
 * are shut out. Then {@code pmdp_collapse_flush()} unhooks the PTE table and flushes the TLBs.
 * A GUP-fast walker that read the PMD before that still walks the old table, and may grab a page
 * after the collapse checked its reference count. Two things stop it:
 * <ul>
 * <li>{@code tlb_remove_table_sync_one()} right after the flush (2ba99c5e0881): an IPI every CPU
 *     must take, so the collapse cannot go on until every IRQ-off walker that may have seen the
 *     old PMD is done. Any pin such a walker took is then in the reference count that
 *     {@code __collapse_huge_page_isolate()} checks, and the collapse gives up; and the old table,
 *     which is deposited and may later be freed with a plain {@code pte_free()} (when the huge
 *     leaf is zapped) or hold non-PTE data (powerpc radix), is no longer walked. Where the flush
 *     itself is an IPI (x86), the flush already waited; where tables are not freed through RCU
 *     the kernel builds it empty, as the flush waited anyway.</li>
 * <li>GUP-fast's recheck of the PMD after grabbing the page (70cbc3cc78a9): the PMD it read is
 *     gone, so it drops the page and leaves the rest to the slow path, which waits for the mmap
 *     lock.</li>
 * </ul>
 * Without either (the kernels before 70cbc3cc78a9), a walker on a CPU the flush did not wait for
 * grabs the old page after the reference count was checked, its PTE recheck passes (the PTEs are
 * cleared only after the copy), and it returns a page the collapse then unmaps and replaces with
 * the huge page: the pin is lost.
 *
 * <p>Left out: the read-locked revalidation between allocating the huge page and taking the
 * mmap lock for write (the write-locked one repeats it), swap-in of swapped-out PTEs, NUMA node
 * choice, memcg charging, and the page contents (the model does not hold data). PTEs that are
 * {@code pte_none()} are skipped without a scheduling point: while the PTE lock is held (the
 * scan) or the PMD is cleared under the mmap write lock (the isolate and copy), nobody can fill
 * them, so reading them races with no one.
 */
public final class Khugepaged {
    /** Results of a collapse attempt, named as the kernel's {@code enum scan_result}. */
    public enum ScanResult {
        SCAN_FAIL,
        SCAN_SUCCEED,
        SCAN_PMD_NULL,
        SCAN_PMD_NONE,
        SCAN_PMD_MAPPED,
        SCAN_PTE_NON_PRESENT,
        SCAN_PAGE_RO,
        SCAN_LACK_REFERENCED_PAGE,
        SCAN_PAGE_NULL,
        SCAN_PAGE_COUNT,
        SCAN_PAGE_LRU,
        SCAN_PAGE_LOCK,
        SCAN_PAGE_ANON,
        SCAN_ANY_PROCESS,
        SCAN_VMA_NULL,
        SCAN_VMA_CHECK,
        SCAN_ADDRESS_RANGE,
        SCAN_DEL_PAGE_LRU,
        SCAN_ALLOC_HUGE_PAGE_FAIL,
        SCAN_EXCEED_NONE_PTE,
        SCAN_PAGE_COMPOUND,
        SCAN_TRUNCATED,
        /** The range is already one PMD-sized folio in the page cache, maybe mapped by PTEs. */
        SCAN_PTE_MAPPED_HUGEPAGE
    }

    private final Vm vm;
    private final PhysMem mem;
    private final boolean tableSync;
    private final KhugepagedFile file;

    /**
     * @param tableSync   whether {@code collapse_huge_page()} and the pre-6.6 retraction call
     *                    {@code tlb_remove_table_sync_one()} after {@code pmdp_collapse_flush()} ({@link VmFeatures#COLLAPSE_TABLE_SYNC})
     * @param retractRule how {@code retract_page_tables()} frees tables ({@link VmFeatures#RETRACT_PAGE_TABLES})
     */
    Khugepaged(Vm vm, boolean tableSync, VmFeatures.RetractRule retractRule) {
        this.vm = vm;
        this.mem = vm.mem();
        this.tableSync = tableSync;
        this.file = new KhugepagedFile(vm, this, retractRule);
    }

    /**
     * khugepaged's visit of the PMD range at {@code haddr} of {@code mm}'s shmem mapping there:
     * the file range is collapsed into a huge folio in the page cache and the PTE tables that
     * mapped it are retracted from every mm ({@link KhugepagedFile}).
     *
     * @param haddr a PMD-aligned address
     */
    public ScanResult collapseFile(Mm mm, long haddr) {
        enter(mm, haddr);
        return file.collapseFile(mm, haddr);
    }

    /**
     * {@code madvise(MADV_COLLAPSE)} of {@code [start, end)} of {@code vma}, as
     * {@code madvise_walk_vmas()} hands it each VMA of the advised range, with the mmap lock held
     * for read (dropped and retaken on the way, held again on return). Mirrors
     * {@code madvise_collapse()} ({@link KhugepagedFile#madviseCollapse}).
     *
     * @return 0 or a negative errno
     */
    long madviseCollapse(Vma vma, long start, long end) {
        return file.madviseCollapse(vma, start, end);
    }

    /**
     * khugepaged's visit of the PMD range at {@code haddr} of {@code mm}'s anonymous VMA there,
     * as {@code khugepaged_scan_mm_slot()} makes it: under {@code mmap_read_trylock()} (khugepaged
     * moves on if it cannot have it), {@code hpage_collapse_scan_pmd()} looks at the PTEs, and if
     * they are worth it {@code collapse_huge_page()} collapses them.
     *
     * @param haddr a PMD-aligned address
     */
    public ScanResult collapseAnon(Mm mm, long haddr) {
        enter(mm, haddr);
        Cpu cpu = vm.cpu();
        if (!mm.mmapLock().downReadTrylock(cpu)) {
            return ScanResult.SCAN_FAIL;
        }
        ScanResult r;
        try {
            Vma[] vma = new Vma[1];
            r = hugepageVmaRevalidate(mm, haddr, vma, true);
            if (r == ScanResult.SCAN_SUCCEED) {
                r = hpageCollapseScanPmd(mm, vma[0], haddr, true);
            }
        } finally {
            mm.mmapLock().upRead(cpu);
        }
        return r == ScanResult.SCAN_SUCCEED ? collapseHugePage(mm, haddr, true) : r;
    }

    /** The Java-level guard of the entry points ({@code Vm.enter}), and a PMD-aligned {@code haddr}. */
    private void enter(Mm mm, long haddr) {
        vm.enter(mm, "mm");
        Validate.isTrue((haddr & (pmdSize(mm) - 1)) == 0, "haddr must be PMD-aligned (a multiple of %d), was 0x%x",
                pmdSize(mm), haddr);
    }

    private long pmdSize(Mm mm) {
        return mm.pageTables().geometry().size(Level.PMD);
    }

    /**
     * Mirrors {@code hugepage_vma_revalidate()} for anonymous memory: an anonymous VMA with an
     * anon_vma covering the whole PMD range, in which THPs are allowed ({@code VM_HUGEPAGE}, as
     * with THP "madvise" mode; the model has no sysfs). MADV_COLLAPSE ignores that setting
     * ({@code enforceSysfs} false: no {@code TVA_ENFORCE_SYSFS}).
     */
    private ScanResult hugepageVmaRevalidate(Mm mm, long haddr, Vma[] out, boolean enforceSysfs) {
        if (mm.dead()) {
            return ScanResult.SCAN_ANY_PROCESS;
        }
        Vma vma = mm.findVma(haddr);
        if (vma == null) {
            return ScanResult.SCAN_VMA_NULL;
        }
        Geometry g = mm.pageTables().geometry();
        if (!g.leafAllowed(Level.PMD) || haddr < vma.vmStart() || haddr + pmdSize(mm) > vma.vmEnd()) {
            return ScanResult.SCAN_ADDRESS_RANGE;
        }
        if (enforceSysfs && (vma.flags() & VmFlags.VM_HUGEPAGE) == 0) {
            return ScanResult.SCAN_VMA_CHECK;
        }
        if (vma.anonVma() == null || !vma.isAnonymous()) {
            return ScanResult.SCAN_PAGE_ANON;
        }
        out[0] = vma;
        return ScanResult.SCAN_SUCCEED;
    }

    /**
     * Mirrors {@code find_pmd_or_thp_or_none()}: walks to the PMD entry for {@code haddr}.
     *
     * @return SCAN_SUCCEED with {@code w} at a PMD entry pointing to a PTE table, or why not
     */
    ScanResult findPmdOrThpOrNone(Mm mm, long haddr, Walk w) {
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        pt.walkTo(haddr, Level.PMD, w, "mm_find_pmd");
        if (w.level != Level.PMD) {
            return ScanResult.SCAN_PMD_NULL;
        }
        if (fmt.none(Level.PMD, w.entry)) {
            return ScanResult.SCAN_PMD_NONE;
        }
        if (!fmt.present(Level.PMD, w.entry)) {
            return ScanResult.SCAN_PMD_NULL;
        }
        if (fmt.leaf(Level.PMD, w.entry)) {
            return ScanResult.SCAN_PMD_MAPPED;
        }
        return ScanResult.SCAN_SUCCEED;
    }

    /**
     * Mirrors {@code hpage_collapse_scan_pmd()} with khugepaged's defaults (up to 511 empty PTEs,
     * no swap entries): under the PTE lock, every mapped page must be an anonymous folio on the
     * LRU, unlocked, whose reference count is just its mappings (no GUP pin, no other reference);
     * one PTE must be writable and one page recently used. The count is checked again, for real,
     * once the PMD is gone ({@link #collapseHugePageIsolate}). For MADV_COLLAPSE ({@code khugepaged}
     * false, {@code cc->is_khugepaged}) no page need have been used recently.
     */
    ScanResult hpageCollapseScanPmd(Mm mm, Vma vma, long haddr, boolean khugepaged) {
        Walk w = new Walk();
        ScanResult r = findPmdOrThpOrNone(mm, haddr, w);
        if (r != ScanResult.SCAN_SUCCEED) {
            return r;
        }
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, w.entry));
        if (ptes == null) {
            return ScanResult.SCAN_PMD_NULL;
        }
        Cpu cpu = vm.cpu();
        boolean writable = false;
        boolean referenced = false;
        ptes.ptl().lock(cpu);
        try {
            // pte_offset_map_lock(): the PMD must still point here once the lock is held.
            if (w.table.read(w.index, "pte_offset_map_lock") != w.entry) {
                return ScanResult.SCAN_PMD_NULL;
            }
            for (int i = 0; i < ptes.nrEntries(); i++) {
                long pte = collapsiblePte(fmt, ptes, i, "hpage_collapse_scan_pmd");
                if (pte == 0) {
                    continue;
                }
                if (!fmt.present(Level.PTE, pte)) {
                    return ScanResult.SCAN_PTE_NON_PRESENT;
                }
                writable |= fmt.leafWrite(Level.PTE, pte);
                Page page = vm.faults().vmNormalPage(fmt, pte);
                if (page == null) {
                    return ScanResult.SCAN_PAGE_NULL;
                }
                Folio folio = page.folio();
                if (!folio.anon()) {
                    return ScanResult.SCAN_PAGE_ANON;
                }
                if (!folio.test(Folio.PG_LRU)) {
                    return ScanResult.SCAN_PAGE_LRU;
                }
                if (folio.test(Folio.PG_LOCKED)) {
                    return ScanResult.SCAN_PAGE_LOCK;
                }
                if (!isRefcountSuitable(folio)) {
                    return ScanResult.SCAN_PAGE_COUNT;
                }
                referenced |= fmt.leafYoung(Level.PTE, pte) || folio.test(Folio.PG_REFERENCED);
            }
        } finally {
            ptes.ptl().unlock(cpu);
        }
        if (!writable) {
            return ScanResult.SCAN_PAGE_RO;
        }
        return referenced || !khugepaged ? ScanResult.SCAN_SUCCEED : ScanResult.SCAN_LACK_REFERENCED_PAGE;
    }

    /**
     * The PTE at {@code i} as a scan reads it (a scheduling point, named {@code function}), or 0
     * when there is nothing to collapse there: {@code pte_none()} or the zero page
     * ({@code is_zero_pfn()}), which both scans pass over. An entry that was never set is passed
     * over without a read, so 0 also stands for "nothing here".
     */
    private long collapsiblePte(EntryFormat fmt, PageTable ptes, int i, String function) {
        if (ptes.peek(i) == 0) {
            return 0;
        }
        long pte = ptes.read(i, function);
        return isNoneOrZero(fmt, pte) ? 0 : pte;
    }

    private boolean isNoneOrZero(EntryFormat fmt, long pte) {
        return fmt.none(Level.PTE, pte)
                || fmt.present(Level.PTE, pte) && fmt.leafPfn(Level.PTE, pte) == mem.zeroFolio().pfn();
    }

    /**
     * Mirrors {@code is_refcount_suitable()}: the folio's references are exactly its mappings
     * (the model has no swap cache), so no GUP pin and no other user holds it.
     */
    private boolean isRefcountSuitable(Folio folio) {
        return mem.folioRefCount(folio) == folio.mapcount();
    }

    /**
     * Mirrors {@code collapse_huge_page()}; see the class comment for why GUP-fast cannot keep a
     * page the collapse replaces. Called without the mmap lock; {@code khugepaged} false for
     * MADV_COLLAPSE (the VMA need not be {@code VM_HUGEPAGE}).
     */
    ScanResult collapseHugePage(Mm mm, long haddr, boolean khugepaged) {
        PageTables pt = mm.pageTables();
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        Cpu cpu = vm.cpu();
        long size = pmdSize(mm);
        // alloc_charge_folio(), before any lock: the allocation may take long.
        Folio folio = mem.allocFolio(g.shift(Level.PMD) - g.pageShift(), Gfp.HIGHUSER_MOVABLE);
        if (folio == null) {
            return ScanResult.SCAN_ALLOC_HUGE_PAGE_FAIL;
        }
        ScanResult r;
        // "Prevent all access to pagetables with the exception of gup_fast later handled by the
        // ptep_clear_flush and the VM handled by the anon_vma lock + PG_lock."
        mm.mmapLock().downWrite(cpu);
        try {
            Vma[] found = new Vma[1];
            r = hugepageVmaRevalidate(mm, haddr, found, khugepaged);
            if (r != ScanResult.SCAN_SUCCEED) {
                return r;
            }
            Vma vma = found[0];
            Walk w = new Walk();
            r = findPmdOrThpOrNone(mm, haddr, w);
            if (r != ScanResult.SCAN_SUCCEED) {
                return r;
            }
            PageTable pmdTable = w.table;
            int pmdIndex = w.index;
            mm.vmaStartWrite(vma);
            vma.anonVma().rwsem().downWrite(cpu);
            long pmd;
            pmdTable.ptl().lock(cpu);
            try {
                pmd = pmdpCollapseFlush(mm, pmdTable, pmdIndex, haddr, size);
            } finally {
                pmdTable.ptl().unlock(cpu);
            }
            tlbRemoveTableSyncOne();
            PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, pmd));
            List<Folio> isolated = new ArrayList<>();
            ptes.ptl().lock(cpu);
            try {
                r = collapseHugePageIsolate(vma, haddr, ptes, isolated);
            } finally {
                ptes.ptl().unlock(cpu);
            }
            if (r != ScanResult.SCAN_SUCCEED) {
                // Put the PTE table back as it was: pmd_populate(), never set_pmd_at().
                pmdTable.ptl().lock(cpu);
                try {
                    bugOnNotNone(fmt, pmdTable, pmdIndex);
                    PgtableInternals.write(pmdTable, pmdIndex, pmd, "pmd_populate");
                } finally {
                    pmdTable.ptl().unlock(cpu);
                }
                vma.anonVma().rwsem().upWrite(cpu);
                return r;
            }
            // Every page is isolated and locked: rmap walkers cannot reach them any more.
            vma.anonVma().rwsem().upWrite(cpu);
            int none = collapseHugePageCopySucceeded(vma, ptes, isolated);
            MmInternals.setFlag(folio, Folio.PG_UPTODATE | Folio.PG_SWAPBACKED);
            long entry = fmt.mkDirty(Level.PMD, fmt.mkLeaf(Level.PMD, folio.pfn(), vma.pageProt()));
            entry = Faults.maybeMkwrite(fmt, vma, Level.PMD, entry);
            pmdTable.ptl().lock(cpu);
            try {
                bugOnNotNone(fmt, pmdTable, pmdIndex);
                vm.rmap().folioAddNewAnonRmap(folio, vma, haddr);
                MmInternals.setFlag(folio, Folio.PG_LRU);
                vm.arch().pgtableTransHugeDeposit(pmdTable, ptes);
                PgtableInternals.write(pmdTable, pmdIndex, entry, "set_pmd_at");
            } finally {
                pmdTable.ptl().unlock(cpu);
            }
            // The small pages' counts move to the huge page; empty PTEs now map part of it.
            mm.addRss(true, none);
            folio = null;
            return ScanResult.SCAN_SUCCEED;
        } finally {
            mm.mmapWriteUnlock(cpu);
            if (folio != null) {
                mem.folioPut(folio);
            }
        }
    }

    /**
     * Mirrors {@code pmdp_collapse_flush()}: clears the PMD entry that points to the PTE table and
     * flushes the TLBs for the range. Generic (mm/pgtable-generic.c):
     * {@code pmdp_huge_get_and_clear()} then {@code flush_tlb_range()}, and whether that waits for
     * a CPU walking the old table with IRQs off is the flush's business (an IPI flush does, a
     * broadcast does not). Where the architecture serializes against lockless lookups
     * ({@link VmArch#pmdpCollapseFlushSerializes()}, powerpc), an IPI round waited for comes
     * between the clear and the flush.
     *
     * @return the entry cleared
     */
    long pmdpCollapseFlush(Mm mm, PageTable pmdTable, int index, long haddr, long size) {
        long old = PgtableInternals.getAndClear(pmdTable, index, "pmdp_collapse_flush");
        if (vm.arch().pmdpCollapseFlushSerializes()) {
            vm.smp().smpCallFunctionMany(mm.tlbMm().cpumask(), cpu -> { }, true, "serialize_against_pte_lookup");
        }
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), haddr, haddr + size, false);
        return old;
    }

    /**
     * {@code tlb_remove_table_sync_one()}: an IPI every CPU takes, where tables are freed through
     * RCU (MMU_GATHER_RCU_TABLE_FREE); an empty function elsewhere. 2ba99c5e0881 added the call to
     * both {@code collapse_huge_page()} and {@code collapse_and_free_pmd()} (the retraction before
     * 6.6), so without {@link VmFeatures#COLLAPSE_TABLE_SYNC} neither makes it.
     */
    void tlbRemoveTableSyncOne() {
        if (!tableSync) {
            return;
        }
        if (vm.tableFreePolicy().promise().rcuTableFree()) {
            RcuTableFree.tlbRemoveTableSyncOne(vm.smp());
        }
    }

    private void bugOnNotNone(EntryFormat fmt, PageTable pmdTable, int pmdIndex) {
        if (!fmt.none(Level.PMD, pmdTable.read(pmdIndex, "collapse_huge_page"))) {
            mem.sched().report(new Violation(ViolationKind.BUG_ON,
                    "collapse_huge_page: BUG_ON(!pmd_none(*pmd)): someone filled the PMD the collapse cleared"));
        }
    }

    /**
     * Mirrors {@code __collapse_huge_page_isolate()}, with the PTE lock held and the PMD cleared:
     * each mapped page is locked, its reference count checked once more ("the page table that
     * maps the page has been already unlinked ... and this process cannot get an additional pin
     * on the page", which is true only once no GUP-fast walker can still be on the old table), and
     * isolated from the LRU (a reference of its own). On failure what was isolated is put back.
     */
    private ScanResult collapseHugePageIsolate(Vma vma, long haddr, PageTable ptes, List<Folio> isolated) {
        EntryFormat fmt = vma.mm().pageTables().format();
        boolean writable = false;
        boolean referenced = false;
        ScanResult r = ScanResult.SCAN_SUCCEED;
        for (int i = 0; i < ptes.nrEntries() && r == ScanResult.SCAN_SUCCEED; i++) {
            long pte = collapsiblePte(fmt, ptes, i, "__collapse_huge_page_isolate");
            if (pte == 0) {
                continue;
            }
            if (!fmt.present(Level.PTE, pte)) {
                r = ScanResult.SCAN_PTE_NON_PRESENT;
                break;
            }
            Page page = vm.faults().vmNormalPage(fmt, pte);
            if (page == null) {
                r = ScanResult.SCAN_PAGE_NULL;
                break;
            }
            Folio folio = page.folio();
            if (!isolated.contains(folio)) {
                if (!mem.folioTrylock(folio)) {
                    r = ScanResult.SCAN_PAGE_LOCK;
                    break;
                }
                if (!isRefcountSuitable(folio)) {
                    mem.folioUnlock(folio);
                    r = ScanResult.SCAN_PAGE_COUNT;
                    break;
                }
                if (!folioIsolateLru(folio)) {
                    mem.folioUnlock(folio);
                    r = ScanResult.SCAN_DEL_PAGE_LRU;
                    break;
                }
                isolated.add(folio);
            }
            referenced |= fmt.leafYoung(Level.PTE, pte) || folio.test(Folio.PG_REFERENCED);
            writable |= fmt.leafWrite(Level.PTE, pte);
        }
        if (r == ScanResult.SCAN_SUCCEED && !writable) {
            r = ScanResult.SCAN_PAGE_RO;
        } else if (r == ScanResult.SCAN_SUCCEED && !referenced) {
            r = ScanResult.SCAN_LACK_REFERENCED_PAGE;
        }
        if (r != ScanResult.SCAN_SUCCEED) {
            // release_pte_pages()
            for (Folio f : isolated) {
                releasePteFolio(f);
            }
            isolated.clear();
        }
        return r;
    }

    /**
     * Mirrors {@code __collapse_huge_page_copy_succeeded()} (the copy itself moves no data in the
     * model): each small page is put back on the LRU and unlocked, its PTE cleared under the PTE
     * lock, its mapping dropped and its reference put, which frees it unless someone (a GUP pin
     * that slipped past the checks) still holds it.
     *
     * @return how many PTEs were empty (or the zero page), which the huge page now backs
     */
    private int collapseHugePageCopySucceeded(Vma vma, PageTable ptes, List<Folio> isolated) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        Cpu cpu = vm.cpu();
        int none = 0;
        for (int i = 0; i < ptes.nrEntries(); i++) {
            if (ptes.peek(i) == 0) {
                none++;
                continue;
            }
            long pte = ptes.read(i, "__collapse_huge_page_copy_succeeded");
            if (isNoneOrZero(fmt, pte)) {
                none++;
                ptes.ptl().lock(cpu);
                try {
                    PgtableInternals.getAndClear(ptes, i, "ptep_clear");
                } finally {
                    ptes.ptl().unlock(cpu);
                }
                continue;
            }
            Folio src = vm.faults().vmNormalPage(fmt, pte).folio();
            if (!src.large()) {
                releasePteFolio(src);
            }
            ptes.ptl().lock(cpu);
            try {
                PgtableInternals.getAndClear(ptes, i, "ptep_clear");
                vm.rmap().folioRemoveRmap(src);
            } finally {
                ptes.ptl().unlock(cpu);
            }
            mem.folioPut(src);
        }
        for (Folio f : isolated) {
            if (f.large()) {
                releasePteFolio(f);
            }
        }
        return none;
    }

    /** Mirrors {@code folio_isolate_lru()}: off the LRU, with a reference of its own. */
    boolean folioIsolateLru(Folio folio) {
        if (!folio.test(Folio.PG_LRU)) {
            return false;
        }
        MmInternals.clearFlag(folio, Folio.PG_LRU);
        mem.folioGet(folio);
        return true;
    }

    /** Mirrors {@code release_pte_folio()}: unlock, and {@code folio_putback_lru()} drops the isolation's reference. */
    void releasePteFolio(Folio folio) {
        mem.folioUnlock(folio);
        MmInternals.setFlag(folio, Folio.PG_LRU);
        mem.folioPut(folio);
    }
}
