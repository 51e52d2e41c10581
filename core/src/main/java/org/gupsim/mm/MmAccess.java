package org.gupsim.mm;

import org.gupsim.mm.internal.MmInternals;

/** The package-private stores of {@link Folio} and {@link Page}, handed to {@link MmInternals} once. */
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
}
