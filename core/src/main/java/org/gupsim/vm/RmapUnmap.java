package org.gupsim.vm;

import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.SwapSpace;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;

/**
 * Taking a folio out of every page table that maps it, leaving a swap entry (reclaim) or a
 * migration entry (migration) in each PTE. Mirrors mm/rmap.c {@code try_to_unmap()} with
 * {@code try_to_unmap_one()}, and {@code try_to_migrate()} with {@code try_to_migrate_one()}.
 *
 * <p>Each PTE is cleared and flushed first ({@code ptep_clear_flush()}), and only then is an
 * exclusive anonymous page made possibly shared ({@link Rmap#folioTryShareAnonRmapPte}), which
 * refuses if the folio may be pinned: a pinned page must stay mapped and exclusive, so the PTE is
 * put back and the walk gives up. The swap or migration entry remembers whether the page was
 * exclusive, so that the page comes back exclusive. Only PTE-mapped small folios are handled;
 * reclaim and migration leave large folios alone in this model.
 */
final class RmapUnmap {
    private final Vm vm;
    private final PhysMem mem;

    RmapUnmap(Vm vm) {
        this.vm = vm;
        this.mem = vm.mem();
    }

    /**
     * Mirrors {@code try_to_unmap()}: a reverse-map walk calling {@link #tryToUnmapOne} on every
     * PTE mapping the folio, stopping early when one refuses. The caller holds the folio lock; the
     * folio is anonymous and already in the swap cache.
     */
    void tryToUnmap(Folio folio) {
        vm.rmap().rmapWalk(folio, (vma, addr, w) -> tryToUnmapOne(folio, vma, addr, w));
    }

    /**
     * Mirrors {@code try_to_unmap_one()} for a PTE-mapped anonymous folio in the swap cache: under
     * the PTE lock the PTE is cleared and flushed, the page made possibly shared unless it may be
     * pinned (then the PTE is restored and the walk stops), the swap slot gains a reference
     * ({@code swap_duplicate()}), and the PTE becomes a swap entry, exclusive if the page was.
     *
     * @return false to stop the walk
     */
    private boolean tryToUnmapOne(Folio folio, Vma vma, long addr, Walk w) {
        if ((vma.flags() & VmFlags.VM_LOCKED) != 0 || w.level != Level.PTE || !folio.swapcache()) {
            return false;
        }
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        PageTable t = w.table;
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            long pteval = t.read(w.index, "page_vma_mapped_walk");
            if (!fmt.present(Level.PTE, pteval) || fmt.leafPfn(Level.PTE, pteval) < folio.pfn()
                    || fmt.leafPfn(Level.PTE, pteval) >= folio.pfn() + folio.nrPages()) {
                return true;
            }
            Page subpage = mem.pfnToPage(fmt.leafPfn(Level.PTE, pteval));
            boolean anonExclusive = subpage.pageAnonExclusive();
            pteval = clearFlush(vma, addr, t, w.index);
            if (fmt.leafDirty(Level.PTE, pteval)) {
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
            }
            SwapSpace swap = mem.swap();
            long offset = folio.swap();
            MmInternals.swapDuplicate(swap, offset);
            // See folio_try_share_anon_rmap(): clear PTE first.
            if (anonExclusive && !vm.rmap().folioTryShareAnonRmapPte(folio, subpage, vm.anonSharePinCheck())) {
                MmInternals.swapFree(swap, offset);
                PgtableInternals.write(t, w.index, pteval, "set_pte_at");
                return false;
            }
            mm.addRss(true, -1);
            long swp = SwapOps.mkSwapPte(fmt, offset);
            if (anonExclusive) {
                swp = fmt.swpMkExclusive(swp);
            }
            PgtableInternals.write(t, w.index, swp, "set_pte_at");
            vm.rmap().folioRemoveRmap(folio);
            mem.folioPut(folio);
            return true;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    /**
     * Mirrors {@code try_to_migrate()}: a reverse-map walk calling {@link #tryToMigrateOne} on
     * every PTE mapping the folio, stopping early when one refuses. The caller holds the folio lock.
     */
    void tryToMigrate(Folio folio) {
        vm.rmap().rmapWalk(folio, (vma, addr, w) -> tryToMigrateOne(folio, vma, addr, w));
    }

    /**
     * Mirrors {@code try_to_migrate_one()} for a PTE mapping a small folio: under the PTE lock the
     * PTE is cleared and flushed, an exclusive anonymous page made possibly shared unless it may
     * be pinned (then the PTE is restored and the walk stops), and the PTE becomes a migration
     * entry naming the page: writable if the PTE was, else exclusive if the page was. The mapping's
     * reference goes; the migration entry keeps counting in the mm's RSS.
     *
     * @return false to stop the walk
     */
    private boolean tryToMigrateOne(Folio folio, Vma vma, long addr, Walk w) {
        if (w.level != Level.PTE) {
            return false;
        }
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        PageTable t = w.table;
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            long pteval = t.read(w.index, "page_vma_mapped_walk");
            if (!fmt.present(Level.PTE, pteval) || fmt.leafPfn(Level.PTE, pteval) < folio.pfn()
                    || fmt.leafPfn(Level.PTE, pteval) >= folio.pfn() + folio.nrPages()) {
                return true;
            }
            Page subpage = mem.pfnToPage(fmt.leafPfn(Level.PTE, pteval));
            boolean anonExclusive = folio.anon() && subpage.pageAnonExclusive();
            pteval = clearFlush(vma, addr, t, w.index);
            if (fmt.leafDirty(Level.PTE, pteval)) {
                MmInternals.setFlag(folio, Folio.PG_DIRTY);
            }
            boolean writable = fmt.leafWrite(Level.PTE, pteval);
            // See folio_try_share_anon_rmap_pte(): clear PTE first.
            if (anonExclusive && !vm.rmap().folioTryShareAnonRmapPte(folio, subpage, vm.anonSharePinCheck())) {
                PgtableInternals.write(t, w.index, pteval, "set_pte_at");
                return false;
            }
            PgtableInternals.write(t, w.index, SwapOps.mkMigrationPte(fmt, subpage.pfn(), writable, anonExclusive), "set_pte_at");
            vm.rmap().folioRemoveRmap(folio);
            mem.folioPut(folio);
            return true;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    /**
     * Mirrors {@code ptep_clear_flush()}: the PTE is cleared and every TLB that may cache it
     * flushed before anyone decides anything about the page: from then on no CPU writes through
     * it, and a GUP-fast that grabbed the page before sees the PTE changed when it rechecks.
     */
    private long clearFlush(Vma vma, long addr, PageTable t, int index) {
        long old = PgtableInternals.getAndClear(t, index, "ptep_clear_flush");
        Mm mm = vma.mm();
        vm.arch().flushBackend().flushTlbMmRange(mm.tlbMm(), addr, addr + mm.pageSize(), false);
        return old;
    }
}
