package org.gupsim.vm;

import java.util.function.Supplier;
import org.gupsim.fs.AddressSpace;
import org.gupsim.mm.Folio;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.vm.Khugepaged.ScanResult;

/**
 * The retraction of one mm's PTE table over a range the page cache already holds as one
 * PMD-sized folio, and (for MADV_COLLAPSE) the huge PMD that maps the folio instead. Mirrors
 * mm/khugepaged.c {@code collapse_pte_mapped_thp()} and {@code set_huge_pmd()}.
 *
 * <p>The caller holds the mmap lock: for read from 6.6 (Hugh Dickins' "mm/khugepaged:
 * collapse_pte_mapped_thp() with mmap_read_lock()"), for write before. The folio lock is what
 * keeps new PTEs of the folio from being faulted in meanwhile. From 6.6 the function clears each
 * PTE under the PTE lock (their TLB flush waits for {@code pmdp_collapse_flush()}), then under the
 * PMD and PTE locks unhooks the table with {@code pmdp_collapse_flush()} and frees it with
 * {@code pte_free_defer()}: a GUP-fast walker that read the PMD before it was cleared may still
 * read the table, and only the RCU grace period its IRQ-off walk holds open keeps the table
 * alive; a walker that grabbed a page before its PTE was cleared sees the PTE change when it
 * rechecks. Before 6.6 it left the PTEs as they were (only the rmap was adjusted), unhooked the
 * table with the VMA write-locked, waited for IRQ-off walkers ({@code tlb_remove_table_sync_one()},
 * 2ba99c5e0881) and freed it at once ({@code collapse_and_free_pmd()}). Which of these runs is
 * {@link VmFeatures#RETRACT_PAGE_TABLES}, as for {@code retract_page_tables()}: the two changed
 * in the same series, and {@code retract-free-now} frees this table at once too.
 *
 * <p>Left out: mmu notifiers, userfaultfd (uffd-wp, and the PMD lock taken early for private
 * uffd VMAs), the i_mmap write lock the pre-6.6 code took, and the pre-6.6 deposit of a table
 * for ppc64 hash ({@code arch_needs_pgtable_deposit()}) in {@code do_set_pmd()}.
 */
final class CollapsePteMapped {
    private final Vm vm;
    private final PhysMem mem;
    private final Khugepaged khugepaged;
    private final VmFeatures.RetractRule rule;

    CollapsePteMapped(Vm vm, Khugepaged khugepaged, VmFeatures.RetractRule rule) {
        this.vm = vm;
        this.mem = vm.mem();
        this.khugepaged = khugepaged;
        this.rule = rule;
    }

    /** Whether the caller must hold the mmap lock for write (before 6.6) rather than for read. */
    boolean needsMmapWriteLock() {
        return rule == VmFeatures.RetractRule.MMAP_WRITE_TRYLOCK;
    }

    /**
     * Mirrors {@code collapse_pte_mapped_thp(mm, addr, install_pmd)}: if every present PTE of the
     * PMD range at {@code haddr} maps the matching page of the PMD-sized page-cache folio there,
     * the PTE table goes and (with {@code installPmd}) a huge PMD maps the folio.
     */
    ScanResult collapsePteMappedThp(Mm mm, long haddr, boolean installPmd) {
        PageTables pt = mm.pageTables();
        long size = pt.geometry().size(Level.PMD);
        Vma vma = mm.vmaLookup(haddr);
        if (vma == null || vma.file() == null || haddr < vma.vmStart() || haddr + size > vma.vmEnd()) {
            return ScanResult.SCAN_VMA_CHECK;
        }
        Walk w = new Walk();
        // "Fast check before locking page if already PMD-mapped"
        if (khugepaged.findPmdOrThpOrNone(mm, haddr, w) == ScanResult.SCAN_PMD_MAPPED) {
            return ScanResult.SCAN_PMD_MAPPED;
        }
        // thp_vma_allowable_order() without the sysfs settings: the model's file THPs are shmem's.
        if (!vma.isShmem() || !pt.geometry().leafAllowed(Level.PMD)) {
            return ScanResult.SCAN_VMA_CHECK;
        }
        AddressSpace mapping = vma.file().inode().mapping();
        Folio folio = filemapLockFolio(mapping, vma.linearPageIndex(haddr));
        if (folio == null) {
            return ScanResult.SCAN_PAGE_NULL;
        }
        try {
            if (folio.order() != pt.geometry().shift(Level.PMD) - pt.geometry().pageShift()) {
                return ScanResult.SCAN_PAGE_COMPOUND;
            }
            // With the folio locked the PMD's state is stable: look again.
            ScanResult r = khugepaged.findPmdOrThpOrNone(mm, haddr, w);
            if (r == ScanResult.SCAN_PMD_NONE) {
                // "All pte entries have been removed and pmd cleared."
                return installPmd ? setHugePmd(vma, haddr, folio) : ScanResult.SCAN_SUCCEED;
            }
            if (r != ScanResult.SCAN_SUCCEED) {
                return r;
            }
            r = rule == VmFeatures.RetractRule.MMAP_WRITE_TRYLOCK ? retractUnderWriteLock(mm, vma, haddr, w, folio)
                    : retract(mm, haddr, w, folio);
            if (r != ScanResult.SCAN_SUCCEED) {
                return r;
            }
            return installPmd ? setHugePmd(vma, haddr, folio) : ScanResult.SCAN_SUCCEED;
        } finally {
            mem.folioUnlock(folio);
            mem.folioPut(folio);
        }
    }

    /**
     * Mirrors {@code filemap_lock_folio()}: the folio at {@code index} with a reference, locked
     * (waiting for its lock), or null if the cache has none there; looked up again if it left
     * the cache while we waited.
     */
    private Folio filemapLockFolio(AddressSpace mapping, long index) {
        while (true) {
            Folio folio = mapping.get(index);
            if (folio == null) {
                return null;
            }
            mem.folioGet(folio);
            mem.folioLock(folio);
            if (folio.mapping() == mapping && mapping.get(index) == folio) {
                return folio;
            }
            mem.folioUnlock(folio);
            mem.folioPut(folio);
        }
    }

    /**
     * Steps 1 to 4 from 6.6: check the PTEs under the PTE lock; take the lock again, check and
     * clear them and drop their rmap; their references; unhook the table under the PMD and PTE
     * locks; {@code pte_free_defer()} (or, with {@code retract-free-now}, {@code pte_free()}).
     */
    private ScanResult retract(Mm mm, long haddr, Walk w, Folio folio) {
        Cpu cpu = vm.cpu();
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        PageTable pmdTable = w.table;
        int pmdIndex = w.index;
        PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, w.entry));
        if (ptes == null) {
            return ScanResult.SCAN_FAIL;
        }
        // Step 1: pte_offset_map_lock(), every present PTE to the right page of the folio.
        int[] count = new int[1];
        ScanResult r = underPtl(ptes, pmdTable, pmdIndex, w.entry, () -> checkPtes(ptes, fmt, folio, false, count));
        if (r != ScanResult.SCAN_SUCCEED) {
            return r;
        }
        // Step 2: "We dropped ptl after the first scan": check again while clearing. The page
        // lock keeps new PTEs of this folio out, not CoW copies or swap-out of existing ones.
        r = underPtl(ptes, pmdTable, pmdIndex, w.entry, () -> checkPtes(ptes, fmt, folio, true, count));
        int nrPtes = count[0];
        if (r != ScanResult.SCAN_SUCCEED) {
            if (nrPtes > 0) {
                // abort: flush_tlb_mm(), then drop the cleared PTEs' references.
                vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), 0, Long.MAX_VALUE, false);
                dropPteRefs(mm, folio, nrPtes);
            }
            return r;
        }
        // Step 3: the references and counters of the PTEs cleared.
        dropPteRefs(mm, folio, nrPtes);
        // Step 4: pmd_lock(), the PTE lock nested, pmdp_collapse_flush().
        pmdTable.ptl().lock(cpu);
        try {
            ptes.ptl().lock(cpu);
            try {
                khugepaged.pmdpCollapseFlush(mm, pmdTable, pmdIndex, haddr, pt.geometry().size(Level.PMD));
            } finally {
                ptes.ptl().unlock(cpu);
            }
        } finally {
            pmdTable.ptl().unlock(cpu);
        }
        if (rule == VmFeatures.RetractRule.FREE_NOW) {
            pt.freeTable(ptes, "pte_free");
        } else {
            vm.smp().rcu().callRcu(() -> pt.freeTable(ptes, "pte_free_now"));
        }
        return ScanResult.SCAN_SUCCEED;
    }

    /**
     * Steps 1 to 4 before 6.6, with the mmap lock held for write: the VMA write-locked, the PTEs
     * checked and their rmap dropped under the PTE lock but left in place, then
     * {@code collapse_and_free_pmd()}: {@code pmdp_collapse_flush()},
     * {@code tlb_remove_table_sync_one()}, {@code pte_free()} of the table as it is.
     */
    private ScanResult retractUnderWriteLock(Mm mm, Vma vma, long haddr, Walk w, Folio folio) {
        PageTables pt = mm.pageTables();
        EntryFormat fmt = pt.format();
        PageTable ptes = pt.tableAt(fmt.tablePhys(Level.PMD, w.entry));
        if (ptes == null) {
            return ScanResult.SCAN_FAIL;
        }
        mm.vmaStartWrite(vma);
        int[] count = new int[1];
        ScanResult r = underPtl(ptes, w.table, w.index, w.entry, () -> {
            ScanResult c = checkPtes(ptes, fmt, folio, false, count);
            if (c == ScanResult.SCAN_SUCCEED) {
                for (int i = 0; i < count[0]; i++) {
                    vm.rmap().folioRemoveRmap(folio);
                }
            }
            return c;
        });
        if (r != ScanResult.SCAN_SUCCEED) {
            return r;
        }
        dropPteRefs(mm, folio, count[0]);
        khugepaged.pmdpCollapseFlush(mm, w.table, w.index, haddr, pt.geometry().size(Level.PMD));
        khugepaged.tlbRemoveTableSyncOne();
        pt.freeTable(ptes, "pte_free");
        return ScanResult.SCAN_SUCCEED;
    }

    /**
     * The loop of steps 1 and 2 over the table, with its PTE lock held: none entries are passed
     * over without a scheduling point (nobody can fill one while the lock is held), a non-present
     * one aborts, and so does one that maps anything but the matching page of {@code folio}
     * ("uprobe, debugger, or MAP_PRIVATE may change the page table"). With {@code clear} each is
     * cleared ({@code ptep_clear()}) and its rmap dropped. {@code count[0]} says how many were
     * seen (or cleared, up to an abort).
     */
    private ScanResult checkPtes(PageTable ptes, EntryFormat fmt, Folio folio, boolean clear, int[] count) {
        count[0] = 0;
        for (int i = 0; i < ptes.nrEntries() && i < folio.nrPages(); i++) {
            if (ptes.peek(i) == 0) {
                continue;
            }
            long pte = ptes.read(i, "collapse_pte_mapped_thp");
            if (fmt.none(Level.PTE, pte)) {
                continue;
            }
            if (!fmt.present(Level.PTE, pte)) {
                return ScanResult.SCAN_PTE_NON_PRESENT;
            }
            if (fmt.leafPfn(Level.PTE, pte) != folio.pfn() + i) {
                return ScanResult.SCAN_FAIL;
            }
            if (clear) {
                PgtableInternals.getAndClear(ptes, i, "ptep_clear");
                vm.rmap().folioRemoveRmap(folio);
            }
            count[0]++;
        }
        return ScanResult.SCAN_SUCCEED;
    }

    /** {@code pte_offset_map_lock()} on the PMD entry read before: null table or moved PMD: SCAN_FAIL. */
    private ScanResult underPtl(PageTable ptes, PageTable pmdTable, int pmdIndex, long pmd,
                                Supplier<ScanResult> body) {
        Cpu cpu = vm.cpu();
        ptes.ptl().lock(cpu);
        try {
            // "mmap_lock + page lock should prevent this", but the recheck is the kernel's own.
            if (pmdTable.read(pmdIndex, "pte_offset_map_lock") != pmd) {
                return ScanResult.SCAN_FAIL;
            }
            return body.get();
        } finally {
            ptes.ptl().unlock(cpu);
        }
    }

    /** Step 3: {@code folio_ref_sub()} and the file RSS counter, for {@code n} PTEs gone. */
    private void dropPteRefs(Mm mm, Folio folio, int n) {
        if (n > 0) {
            mem.folioPutRefs(folio, n);
            mm.addRss(false, -n);
        }
    }

    /**
     * Mirrors {@code set_huge_pmd()} → {@code do_set_pmd()} ({@link Faults#doSetPmd}): if the PMD
     * is still none, a huge PMD with the VMA's protection maps the folio (neither made dirty nor
     * {@code pmd_mkwrite()}d: no fault asked for write), with the file rmap, the RSS and a
     * reference of its own.
     */
    private ScanResult setHugePmd(Vma vma, long haddr, Folio folio) {
        Walk w = new Walk();
        vma.mm().pageTables().walkTo(haddr, Level.PMD, w, "do_set_pmd");
        if (w.level != Level.PMD) {
            return ScanResult.SCAN_FAIL;
        }
        return vm.faults().doSetPmd(vma, haddr, w.table, w.index, folio, false) == 0 ? ScanResult.SCAN_SUCCEED
                : ScanResult.SCAN_FAIL;
    }
}
