package org.gupsim.mm.internal;

import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.Page;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.SwapSpace;

/**
 * Not API: may change in any release. The plain stores into {@code struct folio} and
 * {@code struct page} that the kernel makes inside mm/ ({@code folio->mapping = ...},
 * {@code folio->index = ...}, {@code folio_set_dirty()}, {@code SetPageAnonExclusive()}), and the
 * functions mm/ keeps to itself (the swap cache's of mm/swap_state.c and mm/swapfile.c, the
 * allocator's final free): the model's fs, vm, tlb and gup code and the architecture modules call
 * them here; {@link Folio}, {@link Page}, {@link SwapSpace} and {@link PhysMem} keep them
 * package-private, with the Javadoc of the kernel function each mirrors.
 *
 * <p>How: the accessor pattern of the JDK's {@code SharedSecrets}. {@link Page}'s class
 * initialiser hands this class an {@link Access} that reaches its package-private members, once;
 * if nothing has loaded that class yet, the first call here does.
 */
public final class MmInternals {

    /** What {@code org.gupsim.mm} hands over; implemented there, once. Not API. */
    public interface Access {
        void setMapping(Folio folio, FolioMapping mapping);

        void setIndex(Folio folio, long index);

        void setFlag(Folio folio, int flag);

        void clearFlag(Folio folio, int flag);

        void setPageFlag(Page page, int flag);

        void clearPageFlag(Page page, int flag);

        void freeFolio(PhysMem mem, Folio folio);

        boolean addToSwap(SwapSpace swap, Folio folio);

        boolean addToSwapCache(SwapSpace swap, Folio folio, long offset);

        void deleteFromSwapCache(SwapSpace swap, Folio folio, boolean dropRef);

        void replaceSwapCacheFolio(SwapSpace swap, Folio src, Folio dst);

        void freeSwapCache(SwapSpace swap, Folio folio);

        void freeSwapAndCache(SwapSpace swap, long offset);

        void swapDuplicate(SwapSpace swap, long offset);

        void swapFree(SwapSpace swap, long offset);

        boolean folioFreeSwap(SwapSpace swap, Folio folio);

        void folioMapcountAdd(PhysMem mem, Folio folio, int delta);

        void clearPageAnonExclusive(PhysMem mem, Page page);

        void folioPincountAdd(PhysMem mem, Folio folio, int refs);

        boolean folioPincountSub(PhysMem mem, Folio folio, int refs);
    }

    /** Where the package's {@link Access} is: its API class installs it, once, when it is loaded. */
    public static final InstalledAccess<Access> ACCESS = new InstalledAccess<>("org.gupsim.mm", Page.class);

    private MmInternals() {
    }

    /** {@code folio->mapping = mapping} (a plain store; lockless readers use {@code PhysMem.readMapping}). */
    public static void setMapping(Folio folio, FolioMapping mapping) {
        ACCESS.get().setMapping(folio, mapping);
    }

    /** {@code folio->index = index}: the file offset, or the linear page index of anonymous memory. */
    public static void setIndex(Folio folio, long index) {
        ACCESS.get().setIndex(folio, index);
    }

    /** {@code folio_set_*()}: sets a {@code Folio.PG_*} flag (the order bits are never touched). */
    public static void setFlag(Folio folio, int flag) {
        ACCESS.get().setFlag(folio, flag);
    }

    /** {@code folio_clear_*()}: clears a {@code Folio.PG_*} flag. */
    public static void clearFlag(Folio folio, int flag) {
        ACCESS.get().clearFlag(folio, flag);
    }

    /** {@code SetPage*()} on one subpage: {@code Page.PG_ANON_EXCLUSIVE}, {@code Page.PG_HWPOISON}. */
    public static void setPageFlag(Page page, int flag) {
        ACCESS.get().setPageFlag(page, flag);
    }

    /** {@code ClearPage*()} on one subpage. */
    public static void clearPageFlag(Page page, int flag) {
        ACCESS.get().clearPageFlag(page, flag);
    }

    /** Mirrors {@code free_unref_folios()}: frees a folio whose last reference went away (reclaim's direct free). */
    public static void freeFolio(PhysMem mem, Folio folio) {
        ACCESS.get().freeFolio(mem, folio);
    }

    /** Mirrors {@code add_to_swap()}: a slot and the swap cache for {@code folio}; false if the device is full. */
    public static boolean addToSwap(SwapSpace swap, Folio folio) {
        return ACCESS.get().addToSwap(swap, folio);
    }

    /** Mirrors {@code swapcache_prepare()} + {@code add_to_swap_cache()} of swap-in; false if the slot has a folio. */
    public static boolean addToSwapCache(SwapSpace swap, Folio folio, long offset) {
        return ACCESS.get().addToSwapCache(swap, folio, offset);
    }

    /** Mirrors {@code __delete_from_swap_cache()} + {@code put_swap_folio()}; with {@code dropRef} the cache's reference too. */
    public static void deleteFromSwapCache(SwapSpace swap, Folio folio, boolean dropRef) {
        ACCESS.get().deleteFromSwapCache(swap, folio, dropRef);
    }

    /** The swap-cache half of {@code folio_migrate_mapping()}: {@code dst} takes {@code src}'s slot. */
    public static void replaceSwapCacheFolio(SwapSpace swap, Folio src, Folio dst) {
        ACCESS.get().replaceSwapCacheFolio(swap, src, dst);
    }

    /** Mirrors {@code free_swap_cache()}: an unmapped swap-cache folio leaves the cache if it can. */
    public static void freeSwapCache(SwapSpace swap, Folio folio) {
        ACCESS.get().freeSwapCache(swap, folio);
    }

    /** Mirrors {@code free_swap_and_cache_nr()} for one slot, as zapping a swap PTE does. */
    public static void freeSwapAndCache(SwapSpace swap, long offset) {
        ACCESS.get().freeSwapAndCache(swap, offset);
    }

    /** Mirrors {@code swap_duplicate()}: one more swap PTE names the slot (fork, unmapping). */
    public static void swapDuplicate(SwapSpace swap, long offset) {
        ACCESS.get().swapDuplicate(swap, offset);
    }

    /** Mirrors {@code swap_free()}: one swap PTE fewer; the slot is free once nothing holds it. */
    public static void swapFree(SwapSpace swap, long offset) {
        ACCESS.get().swapFree(swap, offset);
    }

    /** Mirrors {@code folio_free_swap()}: a swap-cache folio no swap PTE names leaves the cache; whether it did. */
    public static boolean folioFreeSwap(SwapSpace swap, Folio folio) {
        return ACCESS.get().folioFreeSwap(swap, folio);
    }

    /** The rmap's {@code atomic_add(&folio->_mapcount)}: a page-table entry starts or stops mapping the folio. */
    public static void folioMapcountAdd(PhysMem mem, Folio folio, int delta) {
        ACCESS.get().folioMapcountAdd(mem, folio, delta);
    }

    /**
     * Mirrors {@code ClearPageAnonExclusive()} where GUP-fast may read the flag at the same time
     * ({@code __folio_try_share_anon_rmap()}): a scheduling point of its own (PhysMem's).
     */
    public static void clearPageAnonExclusive(PhysMem mem, Page page) {
        ACCESS.get().clearPageAnonExclusive(mem, page);
    }

    /** GUP's {@code atomic_add(refs, &folio->_pincount)} on a large folio. */
    public static void folioPincountAdd(PhysMem mem, Folio folio, int refs) {
        ACCESS.get().folioPincountAdd(mem, folio, refs);
    }

    /** GUP's {@code atomic_sub(refs, &folio->_pincount)}; false (and a report) when it would go below zero. */
    public static boolean folioPincountSub(PhysMem mem, Folio folio, int refs) {
        return ACCESS.get().folioPincountSub(mem, folio, refs);
    }
}
