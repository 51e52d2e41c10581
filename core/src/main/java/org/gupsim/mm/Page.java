package org.gupsim.mm;

/**
 * A {@code struct page}: one base-page frame. Small folios are their own page; the tail pages of
 * a large folio are {@link TailPage}s pointing at it. Per-page state that the kernel keeps in the
 * subpage rather than the folio lives here ({@code PageAnonExclusive}, {@code PageHWPoison}).
 */
public abstract sealed class Page permits Folio, TailPage {
    /** {@code PageAnonExclusive}: this subpage of an anonymous folio is mapped by one process only. */
    public static final int PG_ANON_EXCLUSIVE = 1;
    /** {@code PageHWPoison}. */
    public static final int PG_HWPOISON = 1 << 1;

    private final int pfn;
    private int pageFlags;

    Page(int pfn) {
        this.pfn = pfn;
    }

    /** The page frame number. */
    public final int pfn() {
        return pfn;
    }

    /** Mirrors {@code page_folio()}: the folio this page belongs to. */
    public abstract Folio folio();

    public final boolean testPageFlag(int flag) {
        return (pageFlags & flag) != 0;
    }

    public final void setPageFlag(int flag) {
        pageFlags |= flag;
    }

    public final void clearPageFlag(int flag) {
        pageFlags &= ~flag;
    }

    /** Mirrors {@code PageAnonExclusive()}. */
    public final boolean pageAnonExclusive() {
        return (pageFlags & PG_ANON_EXCLUSIVE) != 0;
    }

    /** This page's index inside its folio. */
    public final int subpageIndex() {
        return pfn - folio().pfn();
    }

    @Override
    public String toString() {
        return "page(pfn=" + pfn + ")";
    }
}
