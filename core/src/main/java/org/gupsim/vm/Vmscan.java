package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.SwapSpace;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;

/**
 * Reclaim of anonymous memory to swap, as {@code madvise(MADV_PAGEOUT)} asks for it: mm/madvise.c
 * {@code madvise_cold_or_pageout_pte_range()} picks the folios, mm/vmscan.c
 * {@code reclaim_pages()} → {@code shrink_folio_list()} swaps them out.
 *
 * <p>A folio is added to the swap cache, unmapped from every page table
 * ({@link RmapUnmap#tryToUnmap}), written out, and freed only if {@code __remove_mapping()} can
 * freeze its reference count at exactly the references reclaim expects (its own isolation
 * reference and the swap cache's): a pinned page can never be freed this way, and stays in the
 * swap cache. Whether it stays mapped is the unmap's pin check.
 */
final class Vmscan extends VmPart {
    Vmscan(Vm vm) {
        super(vm);
    }

    /**
     * Mirrors {@code madvise_pageout()} for {@code [start, end)} of one VMA, as
     * {@code madvise_walk_vmas()} hands it each VMA of the advised range: every small anonymous
     * folio there that this process alone maps is isolated from the LRU (its young bit cleared)
     * and then reclaimed. The caller holds the mmap lock.
     *
     * @return 0, or -EINVAL for a locked, hugetlb or PFN-mapped VMA ({@code can_madv_lru_vma()})
     */
    long madvisePageout(Vma vma, long start, long end) {
        if ((vma.flags() & (VmFlags.VM_LOCKED | VmFlags.VM_PFNMAP | VmFlags.VM_HUGETLB)) != 0) {
            return org.gupsim.mm.Errno.EINVAL.negative();
        }
        List<Folio> folios = new ArrayList<>();
        pageoutPteRange(vma, start, end, folios);
        shrinkFolioList(folios);
        return 0;
    }

    /**
     * Mirrors {@code madvise_cold_or_pageout_pte_range()} for pageout of anonymous memory: under
     * each PTE table's lock, a present PTE mapping a small anonymous folio mapped only here has its
     * young bit cleared and the folio is isolated from the LRU ({@code folio_isolate_lru()} takes a
     * reference). Large folios (which the kernel tries to split first) and shared ones are skipped.
     */
    private void pageoutPteRange(Vma vma, long start, long end, List<Folio> out) {
        if (!vma.isAnonymous()) {
            return;
        }
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Cpu cpu = vm.cpu();
        Walk w = new Walk();
        for (long addr = start; addr < end; addr += pt.geometry().pageSize()) {
            pt.walk(addr, w, "madvise_cold_or_pageout_pte_range");
            if (!w.leafPresent || w.level != Level.PTE) {
                continue;
            }
            w.table.ptl().lock(cpu);
            try {
                long pte = w.table.read(w.index, "madvise_cold_or_pageout_pte_range");
                Page page = fmt.present(Level.PTE, pte) ? vm.faults().vmNormalPage(fmt, pte) : null;
                if (page == null) {
                    continue;
                }
                Folio folio = page.folio();
                if (!folio.anon() || folio.large() || folio.ksm() || folio.mapcount() != 1) {
                    // KSM pages go to swap only through their stable node, which the model does
                    // not write out.
                    continue;
                }
                if (fmt.leafYoung(Level.PTE, pte)) {
                    PgtableInternals.getAndUpdate(w.table, w.index, e -> fmt.mkOld(Level.PTE, e), "ptep_test_and_clear_young");
                }
                MmInternals.clearFlag(folio, Folio.PG_REFERENCED | Folio.PG_ACTIVE);
                if (folioIsolateLru(folio)) {
                    out.add(folio);
                }
            } finally {
                w.table.ptl().unlock(cpu);
            }
        }
    }

    /** Mirrors {@code folio_isolate_lru()}: off the LRU, with a reference for the isolator. */
    private boolean folioIsolateLru(Folio folio) {
        if (!folio.test(Folio.PG_LRU)) {
            return false;
        }
        mem.folioGet(folio);
        MmInternals.clearFlag(folio, Folio.PG_LRU);
        return true;
    }

    /** Mirrors {@code folio_putback_lru()}: back on the LRU, the isolation reference dropped. */
    private void folioPutbackLru(Folio folio) {
        MmInternals.setFlag(folio, Folio.PG_LRU);
        mem.folioPut(folio);
    }

    /**
     * Mirrors {@code shrink_folio_list()} for isolated anonymous folios, references ignored as
     * {@code reclaim_pages()} asks: lock the folio (or keep it), add it to the swap cache
     * ({@code add_to_swap()}), unmap it everywhere (or, still mapped, keep it), write it out
     * ({@code pageout()}: the model's swap device completes at once), and free it if
     * {@code __remove_mapping()} can take it out of the swap cache.
     */
    void shrinkFolioList(List<Folio> folios) {
        SwapSpace swap = mem.swap();
        for (Folio folio : folios) {
            if (!mem.folioTrylock(folio)) {
                folioPutbackLru(folio);
                continue;
            }
            if (!folio.swapcache() && !MmInternals.addToSwap(swap, folio)) {
                keep(folio);
                continue;
            }
            if (folio.mapcount() > 0) {
                vm.rmapUnmap.tryToUnmap(folio);
                if (folio.mapcount() > 0) {
                    keep(folio);  // activate_locked: something refused to let go of it
                    continue;
                }
            }
            // pageout() → swap_writepage(): folio_clear_dirty_for_io(), written at once.
            MmInternals.clearFlag(folio, Folio.PG_DIRTY);
            if (removeMapping(folio)) {
                MmInternals.freeFolio(mem, folio);
            } else {
                keep(folio);
            }
        }
    }

    private void keep(Folio folio) {
        mem.folioUnlock(folio);
        folioPutbackLru(folio);
    }

    /**
     * Reclaim of what the swap cache still holds once nothing uses it, as memory pressure (the
     * inactive anonymous LRU through {@code shrink_folio_list()}) or {@code swapoff} eventually
     * does in the kernel: a folio nothing maps, whose slot no swap PTE names, and that holds no
     * reference but the cache's leaves the cache and is freed. The kernel leaves such folios
     * behind legitimately, e.g. when a write fault copies a shared swap-cache page
     * ({@code wp_page_copy()}) and the last process that named the slot exits; they are not
     * leaked, only not yet reclaimed, so the teardown check must not count them.
     */
    void reclaimUnusedSwapCache() {
        SwapSpace swap = mem.swap();
        for (Folio folio : swap.cachedFolios()) {
            if (folio.mapcount() != 0 || swap.swapCount(folio.swap()) != 0
                    || folio.refcount() != folio.nrPages() || !mem.folioTrylock(folio)) {
                continue;
            }
            MmInternals.deleteFromSwapCache(swap, folio, false);
            mem.folioUnlock(folio);
            mem.folioPutRefs(folio, folio.nrPages());
        }
    }

    /**
     * Mirrors {@code __remove_mapping()} for a swap-cache folio: freeze the count at the isolation
     * reference plus the cache's; if anyone else holds one (a pin, a racing GUP-fast, a fault),
     * the folio cannot be freed and stays in the swap cache. Otherwise it leaves the cache (its
     * slot keeps the data) and, with no references left, is free to go.
     */
    private boolean removeMapping(Folio folio) {
        int expected = 1 + folio.nrPages();
        if (!mem.folioRefFreeze(folio, expected)) {
            return false;
        }
        if (folio.dirty()) {
            mem.folioRefUnfreeze(folio, expected);
            return false;
        }
        MmInternals.deleteFromSwapCache(mem.swap(), folio, false);
        MmInternals.clearFlag(folio, Folio.PG_LOCKED);
        return true;
    }
}
