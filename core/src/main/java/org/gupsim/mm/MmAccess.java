package org.gupsim.mm;

import org.gupsim.mm.internal.MmInternals;

/** The package-private stores and functions of mm ({@link Folio}, {@link Page}, {@link PhysMem}, {@link SwapSpace}), handed to {@link MmInternals} once. */
final class MmAccess implements MmInternals.Access {

    @Override
    public void setMapping(Folio folio, FolioMapping mapping) {
        folio.setMapping(mapping);
    }

    @Override
    public void setIndex(Folio folio, long index) {
        folio.setIndex(index);
    }

    @Override
    public void setFlag(Folio folio, int flag) {
        folio.set(flag);
    }

    @Override
    public void clearFlag(Folio folio, int flag) {
        folio.clear(flag);
    }

    @Override
    public void setPageFlag(Page page, int flag) {
        page.setPageFlag(flag);
    }

    @Override
    public void clearPageFlag(Page page, int flag) {
        page.clearPageFlag(flag);
    }

    @Override
    public void freeFolio(PhysMem mem, Folio folio) {
        mem.freeFolio(folio);
    }

    @Override
    public boolean addToSwap(SwapSpace swap, Folio folio) {
        return swap.addToSwap(folio);
    }

    @Override
    public boolean addToSwapCache(SwapSpace swap, Folio folio, long offset) {
        return swap.addToSwapCache(folio, offset);
    }

    @Override
    public void deleteFromSwapCache(SwapSpace swap, Folio folio, boolean dropRef) {
        swap.deleteFromSwapCache(folio, dropRef);
    }

    @Override
    public void replaceSwapCacheFolio(SwapSpace swap, Folio src, Folio dst) {
        swap.replaceSwapCacheFolio(src, dst);
    }

    @Override
    public void freeSwapCache(SwapSpace swap, Folio folio) {
        swap.freeSwapCache(folio);
    }

    @Override
    public void freeSwapAndCache(SwapSpace swap, long offset) {
        swap.freeSwapAndCache(offset);
    }

    @Override
    public void swapDuplicate(SwapSpace swap, long offset) {
        swap.swapDuplicate(offset);
    }

    @Override
    public void swapFree(SwapSpace swap, long offset) {
        swap.swapFree(offset);
    }

    @Override
    public boolean folioFreeSwap(SwapSpace swap, Folio folio) {
        return swap.folioFreeSwap(folio);
    }

    @Override
    public void folioMapcountAdd(PhysMem mem, Folio folio, int delta) {
        mem.folioMapcountAdd(folio, delta);
    }

    @Override
    public void clearPageAnonExclusive(PhysMem mem, Page page) {
        mem.clearPageAnonExclusive(page);
    }

    @Override
    public void folioPincountAdd(PhysMem mem, Folio folio, int refs) {
        mem.folioPincountAdd(folio, refs);
    }

    @Override
    public boolean folioPincountSub(PhysMem mem, Folio folio, int refs) {
        return mem.folioPincountSub(folio, refs);
    }
}
