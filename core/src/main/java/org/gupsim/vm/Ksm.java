package org.gupsim.vm;

import org.gupsim.mm.Folio;
import org.gupsim.mm.Page;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.smp.Cpu;
import org.gupsim.util.Args;

/**
 * Kernel samepage merging of two anonymous pages with the same contents, as ksmd does it. Mirrors
 * mm/ksm.c {@code try_to_merge_two_pages()} → {@code try_to_merge_with_ksm_page()} →
 * {@code try_to_merge_one_page()}, with {@code write_protect_page()} and {@code replace_page()}.
 * Page contents are not modelled: the caller says which two pages are identical.
 *
 * <p>The first page becomes the KSM page: write-protected in place, its mapping now a stable
 * node. The second page's PTE is then pointed at it, read-only, and the second page dropped.
 * Neither may be pinned: the device would keep writing to a page the process no longer maps, or
 * to one shared with another process. {@code write_protect_page()} clears and flushes the PTE
 * first, so that no GUP-fast can grab the page through it any more, and only then compares the
 * reference count with the map count plus ksmd's own reference (plus the swap cache's): a pin, or
 * a GUP-fast's reference not yet given back, makes them differ and the merge is abandoned. The
 * {@code PageAnonExclusive} pin check ({@link Rmap#folioTryShareAnonRmapPte}) comes after that.
 */
public final class Ksm extends VmPart {
    public Ksm(Vm vm) {
        super(Args.notNull(vm, "vm"));
    }

    /**
     * Mirrors ksmd finding {@code addr1} in {@code mm1} and {@code addr2} in {@code mm2} identical
     * ({@code cmp_and_merge_page()} with the unstable tree) and merging them with
     * {@code try_to_merge_two_pages()}: the first becomes the KSM page, the second is replaced by
     * it. ksmd holds a reference on each page it looks at ({@code get_mergeable_page()}).
     *
     * @return whether the two now map one KSM page
     */
    public boolean mergeTwoPages(Mm mm1, long addr1, Mm mm2, long addr2) {
        vm.enter(mm1, "mm1");
        vm.enter(mm2, "mm2");
        Folio page1 = getMergeablePage(mm1, addr1);
        Folio page2 = page1 == null ? null : getMergeablePage(mm2, addr2);
        try {
            if (page2 == null || page1 == page2) {
                return false;
            }
            if (!tryToMergeWithKsmPage(mm1, addr1, page1, null)) {
                return false;
            }
            if (!tryToMergeWithKsmPage(mm2, addr2, page2, page1)) {
                // A KSM page with one mapping: break it again (break_cow()).
                breakCow(mm1, addr1);
                return false;
            }
            return true;
        } finally {
            if (page1 != null) {
                mem.folioPut(page1);
            }
            if (page2 != null) {
                mem.folioPut(page2);
            }
        }
    }

    /**
     * Mirrors ksmd finding {@code addr} in {@code mm} identical to the KSM page {@code kpage} in
     * the stable tree ({@code cmp_and_merge_page()} → {@code stable_tree_search()}) and merging it
     * with {@code try_to_merge_with_ksm_page()}: the page is replaced by {@code kpage}.
     *
     * @return whether {@code addr} now maps {@code kpage}
     */
    public boolean mergeWithKsmPage(Mm mm, long addr, Folio kpage) {
        vm.enter(mm, "mm");
        Args.notNull(kpage, "kpage");
        if (!kpage.ksm()) {
            throw new IllegalArgumentException("kpage must be a KSM page, was " + kpage);
        }
        Folio page = getMergeablePage(mm, addr);
        if (page == null) {
            return false;
        }
        try {
            return page != kpage && tryToMergeWithKsmPage(mm, addr, page, kpage);
        } finally {
            mem.folioPut(page);
        }
    }

    /**
     * Mirrors {@code get_mergeable_page()}: under the mmap read lock, the small anonymous folio
     * mapped at {@code addr}, with a reference, or null.
     */
    private Folio getMergeablePage(Mm mm, long addr) {
        Cpu cpu = vm.cpu();
        mm.mmapLock().downRead(cpu);
        try {
            Vma vma = mm.vmaLookup(addr);
            if (vma == null || !vma.isAnonymous()) {
                return null;
            }
            PageTables pt = mm.pageTables();
            Walk w = pt.walk(addr, new Walk(), "follow_page");
            if (!w.leafPresent || w.level != Level.PTE) {
                return null;
            }
            Page page = vm.faults().vmNormalPage(pt.format(), w.entry);
            if (page == null || !page.folio().anon() || page.folio().large()) {
                return null;
            }
            mem.folioGet(page.folio());
            return page.folio();
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }

    /**
     * Mirrors {@code try_to_merge_with_ksm_page()} → {@code try_to_merge_one_page()}: under the
     * mmap read lock and the folio lock, write-protect {@code page}; then either make it the KSM
     * page ({@code kpage} null: its mapping becomes a stable node) or replace it by {@code kpage}.
     */
    private boolean tryToMergeWithKsmPage(Mm mm, long addr, Folio page, Folio kpage) {
        Cpu cpu = vm.cpu();
        mm.mmapLock().downRead(cpu);
        try {
            Vma vma = mm.vmaLookup(addr);
            if (vma == null || !page.anon() || !mem.folioTrylock(page)) {
                return false;
            }
            try {
                long[] origPte = new long[1];
                if (!writeProtectPage(vma, addr, page, origPte)) {
                    return false;
                }
                if (kpage == null) {
                    // folio_set_stable_node(folio, NULL): anon becomes KSM; dirty so it is swapped, not dropped.
                    KsmStableNode node = new KsmStableNode();
                    node.items().add(new KsmStableNode.Item(vma.anonVma(), addr));
                    MmInternals.setMapping(page, node);
                    MmInternals.setFlag(page, Folio.PG_DIRTY);
                    return true;
                }
                return replacePage(vma, addr, page, kpage, origPte[0]);
            } finally {
                mem.folioUnlock(page);
            }
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }

    /**
     * Mirrors {@code write_protect_page()}: under the PTE lock, a writable, dirty or exclusive PTE
     * is cleared and flushed ({@code ptep_clear_flush()}) before the reference count is compared
     * with the map count plus ksmd's reference plus the swap cache's; any other reference (a pin,
     * O_DIRECT) and the PTE is put back and the merge given up. An exclusive page must also pass
     * the pin check before it may be shared. The PTE is then made clean and read-only.
     *
     * @param origPte receives the PTE as left, for {@link #replacePage}
     */
    boolean writeProtectPage(Vma vma, long addr, Folio folio, long[] origPte) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Walk w = pt.walk(addr, new Walk(), "page_vma_mapped_walk");
        if (!w.leafPresent || w.level != Level.PTE) {
            return false;
        }
        PageTable t = w.table;
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            long entry = t.read(w.index, "page_vma_mapped_walk");
            if (!fmt.present(Level.PTE, entry) || fmt.leafPfn(Level.PTE, entry) != folio.pfn()) {
                return false;
            }
            boolean anonExclusive = folio.pageAnonExclusive();
            if (fmt.leafWrite(Level.PTE, entry) || fmt.leafDirty(Level.PTE, entry) || anonExclusive) {
                int swapped = folio.swapcache() ? 1 : 0;
                // GUP-fast takes no lock, so the count comparison below is racy: the PTE is
                // cleared and flushed first, after which no new GUP-fast reference can appear.
                entry = PgtableInternals.getAndClear(t, w.index, "ptep_clear_flush");
                vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + vma.mm().pageSize(), false);
                if (folio.mapcount() + 1 + swapped != mem.folioRefCount(folio)) {
                    PgtableInternals.write(t, w.index, entry, "set_pte_at");
                    return false;
                }
                // See folio_try_share_anon_rmap_pte(): clear PTE first.
                if (anonExclusive && !vm.rmap().folioTryShareAnonRmapPte(folio, folio, vm.anonSharePinCheck)) {
                    PgtableInternals.write(t, w.index, entry, "set_pte_at");
                    return false;
                }
                if (fmt.leafDirty(Level.PTE, entry)) {
                    MmInternals.setFlag(folio, Folio.PG_DIRTY);
                }
                entry = fmt.wrprotect(Level.PTE, fmt.mkClean(Level.PTE, entry));
                PgtableInternals.write(t, w.index, entry, "set_pte_at");
            }
            origPte[0] = entry;
            return true;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    /**
     * Mirrors {@code replace_page()}: under the PTE lock, if the PTE is still the one
     * {@code write_protect_page()} left, it is cleared, flushed and pointed at the KSM page,
     * read-only, which gains a mapping (an rmap_item on its stable node) and a reference; the old
     * page loses both.
     */
    private boolean replacePage(Vma vma, long addr, Folio page, Folio kpage, long origPte) {
        PageTables pt = vma.mm().pageTables();
        EntryFormat fmt = pt.format();
        Walk w = pt.walk(addr, new Walk(), "mm_find_pmd");
        if (w.level != Level.PTE) {
            return false;
        }
        PageTable t = w.table;
        Cpu cpu = vm.cpu();
        t.ptl().lock(cpu);
        try {
            if (t.read(w.index, "replace_page") != origPte) {
                return false;
            }
            mem.folioGet(kpage);
            ((KsmStableNode) kpage.mapping()).items().add(new KsmStableNode.Item(vma.anonVma(), addr));
            MmInternals.folioMapcountAdd(mem, kpage, 1);
            long newpte = fmt.mkLeaf(Level.PTE, kpage.pfn(), vma.pageProt());
            PgtableInternals.getAndClear(t, w.index, "ptep_clear_flush");
            vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + vma.mm().pageSize(), false);
            PgtableInternals.write(t, w.index, fmt.wrprotect(Level.PTE, newpte), "set_pte_at");
            vm.rmap().folioRemoveRmap(page);
            if (page.mapcount() == 0 && page.swapcache()) {
                MmInternals.folioFreeSwap(mem.swap(), page);
            }
            mem.folioPut(page);
            return true;
        } finally {
            t.ptl().unlock(cpu);
        }
    }

    /**
     * Mirrors {@code break_cow()} → {@code break_ksm()}: an unshare fault at {@code addr}, which
     * gives the process its own copy of a KSM page (UNCONFIRMED: the fault flags of
     * {@code break_ksm()} were not read).
     */
    private void breakCow(Mm mm, long addr) {
        Cpu cpu = vm.cpu();
        mm.mmapLock().downRead(cpu);
        try {
            Vma vma = mm.vmaLookup(addr);
            if (vma != null) {
                vm.faults().handleMmFault(vma, addr, VmFault.FAULT_FLAG_UNSHARE | VmFault.FAULT_FLAG_REMOTE);
            }
        } finally {
            mm.mmapLock().upRead(cpu);
        }
    }
}
