package org.gupsim.vm;

import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
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
final class RmapUnmap extends VmPart {
    RmapUnmap(Vm vm) {
        super(vm);
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
        return withClearedPte(folio, vma, addr, w, c -> {
            SwapSpace swap = mem.swap();
            long offset = folio.swap();
            MmInternals.swapDuplicate(swap, offset);
            // See folio_try_share_anon_rmap(): clear PTE first.
            if (c.anonExclusive && !vm.rmap().folioTryShareAnonRmapPte(folio, c.subpage, vm.anonSharePinCheck)) {
                MmInternals.swapFree(swap, offset);
                PgtableInternals.write(w.table, w.index, c.pteval, "set_pte_at");
                return false;
            }
            mm.addRss(true, -1);
            long swp = SwapOps.mkSwapPte(fmt, offset);
            if (c.anonExclusive) {
                swp = fmt.swpMkExclusive(swp);
            }
            PgtableInternals.write(w.table, w.index, swp, "set_pte_at");
            vm.rmap().folioRemoveRmap(folio);
            mem.folioPut(folio);
            return true;
        });
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
        EntryFormat fmt = vma.mm().pageTables().format();
        return withClearedPte(folio, vma, addr, w, c -> {
            boolean writable = fmt.leafWrite(Level.PTE, c.pteval);
            // See folio_try_share_anon_rmap_pte(): clear PTE first.
            if (c.anonExclusive && !vm.rmap().folioTryShareAnonRmapPte(folio, c.subpage, vm.anonSharePinCheck)) {
                PgtableInternals.write(w.table, w.index, c.pteval, "set_pte_at");
                return false;
            }
            long migration = SwapOps.mkMigrationPte(fmt, c.subpage.pfn(), writable, c.anonExclusive);
            PgtableInternals.write(w.table, w.index, migration, "set_pte_at");
            vm.rmap().folioRemoveRmap(folio);
            mem.folioPut(folio);
            return true;
        });
    }

    /** What {@link #withClearedPte} found and cleared: the page, whether it was exclusive, the old PTE. */
    private record Cleared(Page subpage, boolean anonExclusive, long pteval) {
    }

    /** What a walk does with a PTE it cleared, still under the PTE lock. */
    @FunctionalInterface
    private interface ClearedPteAction {
        /** @return false to stop the walk */
        boolean act(Cleared c);
    }

    /**
     * The start both {@code try_to_unmap_one()} and {@code try_to_migrate_one()} make, under the
     * PTE lock held until {@code action} is done: {@code page_vma_mapped_walk()} finds the PTE
     * still mapping a page of {@code folio} (else there is nothing to do here: it changed since the
     * rmap walk saw it, and the walk goes on), the page's {@code PageAnonExclusive} is noted
     * ({@code folio_test_anon(folio) && PageAnonExclusive(subpage)}), and the PTE is cleared and
     * flushed with its dirty bit moved to the folio; then {@code action} decides what the PTE becomes.
     *
     * @return false to stop the walk
     */
    private boolean withClearedPte(Folio folio, Vma vma, long addr, Walk w, ClearedPteAction action) {
        EntryFormat fmt = vma.mm().pageTables().format();
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
            return action.act(new Cleared(subpage, anonExclusive, pteval));
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
