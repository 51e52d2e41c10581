package org.gupsim.vm;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.fs.AddressSpace;
import org.gupsim.fs.MappedRange;
import org.gupsim.fs.RmapHooks;
import org.gupsim.memmodel.Primitive;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.tlb.MmuGather;

/**
 * The reverse map: from a folio to the page-table entries mapping it. Mirrors mm/rmap.c
 * ({@code folio_add_new_anon_rmap}, {@code folio_add_file_rmap_ptes}, {@code folio_remove_rmap_ptes},
 * {@code rmap_walk}, {@code folio_mkclean}) and {@code unmap_mapping_range()} of mm/memory.c.
 */
public final class Rmap implements RmapHooks {
    private final Vm vm;
    private final PhysMem mem;

    Rmap(Vm vm) {
        this.vm = vm;
        this.mem = vm.mem();
    }

    /** Visits one entry mapping a folio. */
    @FunctionalInterface
    public interface Visitor {
        /** @return false to stop the walk */
        boolean visit(Vma vma, long addr, Walk w);
    }

    /** Mirrors {@code anon_vma_prepare()}. */
    public void anonVmaPrepare(Vma vma) {
        if (vma.anonVma() == null) {
            AnonVma a = new AnonVma(mem.sched());
            a.vmas().add(vma);
            vma.setAnonVma(a);
            vma.anonVmaChain().add(a);
        }
    }

    /**
     * Mirrors {@code anon_vma_fork()}: the child's VMA {@code dst} is chained to every anon_vma of
     * the parent's {@code src} ({@code anon_vma_clone()}), so that the reverse map of a folio the
     * two share reaches the child too, and gets an anon_vma of its own for the folios only it will
     * map (CoW copies). Nothing to do where the parent never had anonymous memory. The links to
     * the anon_vmas' VMA lists are made when {@code dst} is linked into its mm.
     */
    void anonVmaFork(Vma dst, Vma src) {
        if (src.anonVma() == null) {
            return;
        }
        dst.anonVmaChain().addAll(src.anonVmaChain());
        AnonVma own = new AnonVma(mem.sched());
        dst.setAnonVma(own);
        dst.anonVmaChain().add(own);
    }

    /**
     * Mirrors {@code folio_move_anon_rmap()}: a folio that only {@code vma} maps now (a CoW page
     * whose sharer went away) moves to {@code vma}'s own anon_vma, so that later reverse-map walks
     * need not visit the other processes it was once shared with.
     */
    void folioMoveAnonRmap(Folio folio, Vma vma) {
        MmInternals.setMapping(folio, vma.anonVma());
    }

    /**
     * Mirrors include/linux/rmap.h {@code folio_try_dup_anon_rmap_pte()} ({@code
     * __folio_try_dup_anon_rmap()} at PTE level), which fork's {@code copy_present_ptes()} calls
     * with the PTE lock held and {@code src}'s {@code write_protect_seq} odd: the child may share
     * {@code page} unless it is exclusive to the parent and may be pinned
     * ({@code folio_needs_cow_for_dma()}); then it is no longer exclusive and the folio gains a
     * mapping. Both PTEs must be read-only afterwards.
     *
     * @param earlyCow whether fork copies maybe-pinned pages (70e806e4e645); without it every
     *                 page is shared and a pinned page silently becomes CoW-shared
     * @return false (the kernel's -EBUSY) if the page must be copied for the child instead
     */
    boolean folioTryDupAnonRmapPte(Folio folio, Page page, Vma src, boolean earlyCow) {
        if (earlyCow && folioNeedsCowForDma(src, folio) && page.pageAnonExclusive()) {
            return false;
        }
        MmInternals.clearPageFlag(page, Page.PG_ANON_EXCLUSIVE);
        MmInternals.folioMapcountAdd(mem, folio, 1);
        return true;
    }

    /**
     * {@code folio_try_dup_anon_rmap_pmd()}: as {@link #folioTryDupAnonRmapPte} for a PMD-mapped
     * THP. The kernel keeps the exclusive marker of a PMD-mapped THP in its head page only; this
     * model marks every subpage alike (so that a later split needs to copy nothing), and clears
     * them all.
     */
    boolean folioTryDupAnonRmapPmd(Folio folio, Vma src, boolean earlyCow) {
        if (earlyCow && folio.pageAnonExclusive() && folioNeedsCowForDma(src, folio)) {
            return false;
        }
        for (int i = 0; i < folio.nrPages(); i++) {
            MmInternals.clearPageFlag(folio.page(mem, i), Page.PG_ANON_EXCLUSIVE);
        }
        MmInternals.folioMapcountAdd(mem, folio, 1);
        return true;
    }

    /**
     * Mirrors include/linux/mm.h {@code folio_needs_cow_for_dma()}: in a CoW mapping of an mm that
     * has ever pinned pages, whether the folio may be pinned. Called only inside fork's
     * {@code write_protect_seq} write section (the kernel's VM_BUG_ON checks it is odd).
     */
    boolean folioNeedsCowForDma(Vma vma, Folio folio) {
        if (!VmFlags.isCowMapping(vma.flags())) {
            return false;
        }
        if (!vma.mm().testHasPinned()) {
            return false;
        }
        return mem.folioMaybeDmaPinned(folio);
    }

    /**
     * Mirrors include/linux/rmap.h {@code folio_try_share_anon_rmap_pte()}
     * ({@code __folio_try_share_anon_rmap()}): before swap-out, migration or KSM make an exclusive
     * anonymous page possibly shared, it must not be pinned. The caller holds the PTE lock and
     * has already cleared (or invalidated) the PTE, and restores it if this fails.
     *
     * <p>The argument against GUP-fast, as the kernel's comment has it: clearing is (A1) clear the
     * PTE, (A2) check for pins and back off, (A3) clear {@code PageAnonExclusive}, (A4) maybe put
     * a read-only entry back; GUP-fast is (B1) read the PTE, (B2) back off if it must be writable
     * and is not, (B3) pin, (B4) re-read the PTE and back off if it changed, (B5) back off if the
     * entry was read-only and the page is not exclusive. Either GUP-fast's recheck (B4) sees A1, or
     * its pin (B3) came before it and A2 sees the pin. That needs A1 before A2 and B3 before B4 on
     * every CPU's view: a TLB flush orders A1 only against IPI-based GUP-fast, so 088b8aa537c2 put a
     * full barrier before the check, paired with the one after GUP-fast's grab, and one after
     * clearing the flag, paired with {@code gup_must_unshare()}'s read barrier. Under the
     * sequentially consistent model those barriers change nothing; they are here, as
     * {@link org.gupsim.sched.Sched#fence} calls (no scheduling point), for a weaker model to give
     * meaning to, and the patch {@code no-anon-exclusive-barriers} takes them out
     * ({@link AnonFeatures#ANON_EXCLUSIVE_BARRIERS}; see docs/kernel/anon-exclusive.md).
     *
     * @param pinCheck whether the {@code folio_maybe_dma_pinned()} check is made (6c287605fd56)
     * @return false (the kernel's -EBUSY) if the folio may be pinned
     */
    boolean folioTryShareAnonRmapPte(Folio folio, Page page, boolean pinCheck) {
        boolean barriers = vm.anonExclusiveBarriers;
        if (barriers) {
            // Paired with the barrier after GUP-fast's grab (try_grab_folio_fast()): A1 before A2.
            mem.sched().fence(Primitive.MB, "__folio_try_share_anon_rmap");
        }
        if (pinCheck && mem.folioMaybeDmaPinned(folio)) {
            return false;
        }
        // A3: a relaxed clear_bit(), a point of its own: GUP-fast's B5 reads the flag locklessly.
        MmInternals.clearPageAnonExclusive(mem, page);
        if (barriers) {
            // Conceptually an smp_wmb() paired with gup_must_unshare()'s smp_rmb(): A3 before A4.
            mem.sched().fence(Primitive.MB_AFTER_ATOMIC, "__folio_try_share_anon_rmap");
        }
        return true;
    }

    /**
     * Mirrors {@code folio_add_anon_rmap_pte()}: one more PTE maps {@code page} of an anonymous
     * folio (swap-in, removing a migration entry, KSM's replacement page). A folio read from swap
     * that is not yet anonymous becomes this VMA's ({@code __folio_set_anon()}); with
     * {@code exclusive} ({@code RMAP_EXCLUSIVE}) the page is marked exclusive.
     */
    void folioAddAnonRmapPte(Folio folio, Page page, Vma vma, long addr, boolean exclusive) {
        if (!folio.anon()) {
            MmInternals.setMapping(folio, vma.anonVma());
            MmInternals.setIndex(folio, vma.linearPageIndex(addr));
        }
        MmInternals.folioMapcountAdd(mem, folio, 1);
        if (exclusive) {
            MmInternals.setPageFlag(page, Page.PG_ANON_EXCLUSIVE);
        }
    }

    /** Mirrors {@code folio_dup_file_rmap_pte()}: the child maps the page-cache folio too. */
    void folioDupFileRmapPte(Folio folio) {
        MmInternals.folioMapcountAdd(mem, folio, 1);
    }

    /**
     * Mirrors {@code folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE)}: the folio now
     * belongs to the VMA's anon_vma at its linear index, mapped once, every page exclusive.
     */
    public void folioAddNewAnonRmap(Folio folio, Vma vma, long addr) {
        MmInternals.setMapping(folio, vma.anonVma());
        MmInternals.setIndex(folio, vma.linearPageIndex(addr));
        MmInternals.folioMapcountAdd(mem, folio, 1);
        for (int i = 0; i < folio.nrPages(); i++) {
            MmInternals.setPageFlag(folio.page(mem, i), Page.PG_ANON_EXCLUSIVE);
        }
    }

    /** Mirrors {@code folio_add_file_rmap_pte()}. */
    public void folioAddFileRmap(Folio folio) {
        MmInternals.folioMapcountAdd(mem, folio, 1);
    }

    /** Mirrors {@code folio_remove_rmap_pte()}. */
    public void folioRemoveRmap(Folio folio) {
        MmInternals.folioMapcountAdd(mem, folio, -1);
    }

    /**
     * Mirrors {@code rmap_walk()}: visits every present leaf entry that maps a page of
     * {@code folio}, through its anon_vma or its file's {@code i_mmap}.
     */
    public void rmapWalk(Folio folio, Visitor visitor) {
        FolioMapping m = folio.mapping();
        if (m instanceof KsmStableNode node) {
            rmapWalkKsm(folio, node, visitor);
            return;
        }
        walkMappingAddresses(m, folio.index(), folio.nrPages(), (vma, addr, i, w) -> {
            if (!w.leafPresent) {
                return true;
            }
            PageTables pt = vma.mm().pageTables();
            long pfn = pt.format().leafPfn(w.level, w.entry);
            // A huge leaf is visited once, at its first page (a folio may take several, as
            // in a hugetlb contiguous group); a PTE must map exactly this page.
            if (w.level != Level.PTE && (addr & (pt.geometry().size(w.level) - 1)) != 0) {
                return true;
            }
            return pfn != folio.pfn() + i || visitor.visit(vma, addr, w);
        });
    }

    /** Visits one address a page of a folio may be mapped at, walked to its leaf. */
    @FunctionalInterface
    interface AddressVisitor {
        /** @return false to stop the walk */
        boolean visit(Vma vma, long addr, int i, Walk w);
    }

    /**
     * The walk {@code rmap_walk_anon()} and {@code rmap_walk_file()} share: every VMA of the anon_vma
     * or of the file's {@code i_mmap} that {@code m} is, and in each the address of each of the
     * {@code nrPages} pages from page index {@code index} ({@code vma_address()}), if the VMA covers
     * it, walked to its leaf for {@code visitor}. Migration uses it for the migration entries left
     * where a folio was mapped ({@code remove_migration_ptes()}), which are not present leaves.
     */
    void walkMappingAddresses(FolioMapping m, long index, int nrPages, AddressVisitor visitor) {
        List<Vma> candidates = new ArrayList<>();
        if (m instanceof AnonVma a) {
            candidates.addAll(a.vmas());
        } else if (m instanceof AddressSpace as) {
            for (MappedRange r : as.iMmap()) {
                candidates.add((Vma) r);
            }
        }
        Walk w = new Walk();
        for (Vma vma : candidates) {
            PageTables pt = vma.mm().pageTables();
            long pageSize = vma.mm().pageSize();
            for (int i = 0; i < nrPages; i++) {
                long addr = vma.vmStart() + ((index + i - vma.vmPgoff()) * pageSize);
                if (!vma.contains(addr)) {
                    continue;
                }
                pt.walk(addr, w, "rmap_walk");
                if (!visitor.visit(vma, addr, i, w)) {
                    return;
                }
            }
        }
    }

    /**
     * Mirrors {@code rmap_walk_ksm()}: for each rmap_item of the stable node, every VMA of its
     * anon_vma (the process that merged, and its children) that maps the item's address with
     * this folio.
     */
    private void rmapWalkKsm(Folio folio, KsmStableNode node, Visitor visitor) {
        Walk w = new Walk();
        for (KsmStableNode.Item item : new ArrayList<>(node.items())) {
            for (Vma vma : new ArrayList<>(item.anonVma().vmas())) {
                if (!vma.contains(item.addr())) {
                    continue;
                }
                PageTables pt = vma.mm().pageTables();
                pt.walk(item.addr(), w, "rmap_walk_ksm");
                if (w.leafPresent && w.level == Level.PTE && pt.format().leafPfn(Level.PTE, w.entry) == folio.pfn()
                        && !visitor.visit(vma, item.addr(), w)) {
                    return;
                }
            }
        }
    }

    /**
     * Mirrors {@code folio_mkclean()}: write-protects and cleans every shared mapping of the folio
     * and flushes the TLBs, so that the next write faults and calls {@code page_mkwrite}.
     */
    @Override
    public boolean folioMkclean(Folio folio) {
        boolean[] dirty = {false};
        rmapWalk(folio, (vma, addr, w) -> {
            if ((vma.flags() & VmFlags.VM_SHARED) == 0) {
                return true;
            }
            EntryFormat fmt = vma.mm().pageTables().format();
            long e = w.entry;
            if (!fmt.leafWrite(w.level, e) && !fmt.leafDirty(w.level, e)) {
                return true;
            }
            dirty[0] |= fmt.leafDirty(w.level, e);
            var cpu = vm.cpu();
            w.table.ptl().lock(cpu);
            try {
                long old = PgtableInternals.getAndClear(w.table, w.index, vm.arch().ptepGetAndClearOrder(), "page_vma_mkclean_one");
                vm.arch().flushBackend().flushTlbMmRange(vma.mm().tlbMm(), addr, addr + 1, false);
                PgtableInternals.write(w.table, w.index, fmt.mkClean(w.level, fmt.wrprotect(w.level, old)), "page_vma_mkclean_one");
            } finally {
                w.table.ptl().unlock(cpu);
            }
            return true;
        });
        return dirty[0];
    }

    /**
     * Mirrors {@code unmap_mapping_range()}: zaps file pages {@code [firstIndex, firstIndex+nrPages)}
     * (nrPages 0: to the end of the file) in every VMA mapping them; private CoW copies only with
     * {@code evenCows}.
     */
    @Override
    public void unmapMappingRange(AddressSpace mapping, long firstIndex, long nrPages, boolean evenCows) {
        long lastIndex = nrPages == 0 ? Long.MAX_VALUE : firstIndex + nrPages;
        for (MappedRange r : new ArrayList<>(mapping.iMmap())) {
            Vma vma = (Vma) r;
            long shift = vma.mm().pageShift();
            long vmaFirst = vma.vmPgoff();
            long vmaLast = vmaFirst + ((vma.vmEnd() - vma.vmStart()) >>> shift);
            long from = Math.max(firstIndex, vmaFirst);
            long to = Math.min(lastIndex, vmaLast);
            if (from >= to) {
                continue;
            }
            long start = vma.vmStart() + ((from - vmaFirst) << shift);
            long end = vma.vmStart() + ((to - vmaFirst) << shift);
            // In this model only truncation and hole punching unmap file ranges: the user asked.
            vma.mm().noteUserUnmap(start, end);
            MmuGather tlb = vm.tlbGatherMmu(vma.mm());
            vm.zap.zapRange(tlb, vma, start, end, new Zap.ZapDetails(mapping, evenCows));
            tlb.tlbFinishMmu();
        }
    }
}
