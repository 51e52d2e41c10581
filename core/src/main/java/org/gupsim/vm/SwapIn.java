package org.gupsim.vm;

import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.mm.SwapSpace;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Access;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.gupsim.smp.Cpu;

/**
 * Faults on a PTE that holds a swap entry. Mirrors mm/memory.c {@code do_swap_page()} (and
 * {@code migration_entry_wait()} for a migration entry).
 *
 * <p>The folio comes from the swap cache if it is still there (a page reclaim could not free,
 * because it is pinned, for instance), else it is read into a new folio added to the swap cache.
 * It is mapped exclusive, and writable on a write fault, if the swap PTE remembers that it was
 * exclusive, or if nothing else holds a reference; otherwise read-only and not exclusive, so that
 * a later write copies it. That memory in the swap PTE is what lets a pinned page that was
 * swapped out come back as the same, exclusive page (6c287605fd56).
 */
final class SwapIn extends VmPart {
    SwapIn(Vm vm) {
        super(vm);
    }

    /**
     * Mirrors {@code do_swap_page()} for the swap PTE {@code w} read at {@code addr}. The caller
     * holds the mmap lock.
     *
     * @return 0 or {@code VM_FAULT_*} bits
     */
    int doSwapPage(Vma vma, long addr, Walk w, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        long orig = w.entry;
        if (!SwapOps.isSwapEntry(fmt, orig)) {
            if (SwapOps.isMigrationEntry(fmt, orig)) {
                migrationEntryWait(w.table, w.index, orig);
                return 0;
            }
            return VmFault.VM_FAULT_SIGBUS;
        }
        long offset = fmt.swpOffset(orig);
        SwapSpace swap = mem.swap();
        Folio folio = swap.swapCacheGetFolio(offset);
        if (folio == null) {
            // swapin_readahead() → __read_swap_cache_async(): read the slot into a new folio in
            // the swap cache (the model's device is not SWP_SYNCHRONOUS_IO, so the cache is used).
            folio = mem.allocFolio(0, Gfp.HIGHUSER_MOVABLE);
            if (folio == null) {
                return VmFault.VM_FAULT_OOM;
            }
            MmInternals.setFlag(folio, Folio.PG_UPTODATE | Folio.PG_LRU | Folio.PG_LOCKED);
            if (!MmInternals.addToSwapCache(swap, folio, offset)) {
                // Someone else is reading it in: retry the fault.
                MmInternals.clearFlag(folio, Folio.PG_LOCKED);
                mem.folioPut(folio);
                return 0;
            }
        } else {
            mem.folioLock(folio);
        }
        // The reference and pte_same() below do not stop folio_free_swap() or swapoff from
        // taking the folio out of the cache meanwhile: check it is still ours.
        int ret = folio.swapcache() && folio.swap() == offset ? mapSwapFolio(vma, addr, w, orig, folio, flags) : -1;
        mem.folioUnlock(folio);
        if (ret < 0) {
            mem.folioPut(folio);
            return 0;
        }
        return ret;
    }

    /**
     * The second half of {@code do_swap_page()}, with the folio locked and a reference held for
     * the mapping: under the PTE lock, if the PTE is still the swap entry, free the slot's count,
     * maybe drop the folio from the swap cache, and map it, exclusive and writable where it may be;
     * a write that could not be granted goes on to {@code do_wp_page()} under the same lock.
     *
     * @return the fault result, or -1 if the PTE changed (the caller drops the reference)
     */
    private int mapSwapFolio(Vma vma, long addr, Walk w, long orig, Folio folio, int flags) {
        Mm mm = vma.mm();
        EntryFormat fmt = mm.pageTables().format();
        SwapSpace swap = mem.swap();
        PageTable t = w.table;
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            if (t.read(w.index, "do_swap_page") != orig) {
                return -1;
            }
            if (folio.anon() && folio.pageAnonExclusive()) {
                mem.sched().report(new Violation(ViolationKind.BUG_ON,
                        "do_swap_page: a swap PTE points at " + folio + ", which is PageAnonExclusive"));
            }
            boolean exclusive = !folio.ksm() && fmt.swpExclusive(orig);
            MmInternals.swapFree(swap, fmt.swpOffset(orig));
            if (shouldTryToFreeSwap(folio, vma, flags)) {
                MmInternals.folioFreeSwap(swap, folio);
            }
            mm.addRss(true, 1);
            long pte = fmt.mkLeaf(Level.PTE, folio.pfn(), vma.pageProt());
            boolean write = write(flags);
            if (!folio.ksm() && (exclusive || mem.folioRefCount(folio) == 1)) {
                if (write) {
                    pte = Faults.maybeMkwrite(fmt, vma, Level.PTE, fmt.mkDirty(Level.PTE, pte));
                    write = false;
                }
                exclusive = true;
            }
            vm.rmap().folioAddAnonRmapPte(folio, folio, vma, addr, exclusive);
            pte = fmt.mkYoung(Level.PTE, pte);
            PgtableInternals.write(t, w.index, pte, "set_pte_at");
            if (write) {
                return vm.faults().doWpPage(vma, addr, t, w.index, pte, flags);
            }
            return 0;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    private static boolean write(int flags) {
        return (flags & VmFault.FAULT_FLAG_WRITE) != 0;
    }

    /**
     * Mirrors {@code should_try_to_free_swap()}: a swap-cache folio mapped by a locked VMA, or
     * written by a fault when the cache's and the fault's are its only references, may leave the
     * swap cache at once (its copy on swap is stale once written).
     */
    private boolean shouldTryToFreeSwap(Folio folio, Vma vma, int flags) {
        if (!folio.swapcache()) {
            return false;
        }
        if ((vma.flags() & VmFlags.VM_LOCKED) != 0 || folio.test(Folio.PG_MLOCKED)) {
            return true;
        }
        return write(flags) && !folio.ksm() && mem.folioRefCount(folio) == 2;
    }

    /**
     * Mirrors {@code migration_entry_wait()}: the page is being migrated; wait until the migration
     * entry is gone (the folio lock the kernel sleeps on is released only after
     * {@code remove_migration_ptes()}), then the fault is retried.
     *
     * <p>The wait ends when the entry this CPU can see has changed. Under a weak memory model the
     * migrating CPU's restored PTE may still sit in its store buffer; the explorer evaluates every
     * wait's condition against what the waiting CPU would load (memory), so the plain read here is
     * that, not the newest value stored. In the kernel the folio lock's release orders that store
     * before the waiter wakes; a wait on the newest value would wake the waiter early, its retried
     * fault would read the migration entry again, wake again at once, and spin in a schedule that
     * never lets the buffer drain, a schedule no hardware runs.
     */
    private void migrationEntryWait(PageTable t, int index, long orig) {
        mem.sched().waitUntil(t, index, Access.READ, "migration_entry_wait", () -> t.peek(index) != orig,
                "a migration entry to be removed");
    }
}
