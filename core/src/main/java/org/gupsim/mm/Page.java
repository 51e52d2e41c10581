package org.gupsim.mm;

import org.gupsim.mm.internal.MmInternals;
import org.gupsim.sched.SchedKeyed;
import org.gupsim.sched.WeakCell;

/**
 * A {@code struct page}: one base-page frame. Small folios are their own page; the tail pages of
 * a large folio are {@link TailPage}s pointing at it. Per-page state that the kernel keeps in the
 * subpage rather than the folio lives here ({@code PageAnonExclusive}, {@code PageHWPoison}).
 */
public abstract sealed class Page implements WeakCell permits Folio, TailPage {
    /** {@code PageAnonExclusive}: this subpage of an anonymous folio is mapped by one process only. */
    public static final int PG_ANON_EXCLUSIVE = 1;
    /** {@code PageHWPoison}. */
    public static final int PG_HWPOISON = 1 << 1;

    /**
     * The {@link WeakCell} field of {@code page->flags}, which {@code SetPageAnonExclusive()} /
     * {@code ClearPageAnonExclusive()} change with atomic bit operations and GUP-fast reads
     * locklessly ({@code gup_must_unshare()}).
     */
    public static final int FIELD_PAGE_FLAGS = 0;

    static {
        // Hands the model's other packages the stores they make into folios and pages (MmInternals
        // loads this class on its first call if nothing has yet).
        MmInternals.ACCESS.install(new MmAccess());
    }

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

    /** Whether {@code flag} ({@link #PG_ANON_EXCLUSIVE}, {@link #PG_HWPOISON}) is set on this subpage. */
    public final boolean testPageFlag(int flag) {
        return (pageFlags & flag) != 0;
    }

    /** {@code SetPage*()}; the model's other packages call it through {@code MmInternals.setPageFlag}. */
    final void setPageFlag(int flag) {
        pageFlags |= flag;
    }

    /** {@code ClearPage*()}; through {@code MmInternals.clearPageFlag} from other packages. */
    final void clearPageFlag(int flag) {
        pageFlags &= ~flag;
    }

    /** Mirrors {@code PageAnonExclusive()}. */
    public final boolean pageAnonExclusive() {
        return (pageFlags & PG_ANON_EXCLUSIVE) != 0;
    }

    /** The value of a {@link WeakCell} field; a page has {@link #FIELD_PAGE_FLAGS}. */
    @Override
    public long weakValue(int field) {
        if (field != FIELD_PAGE_FLAGS) {
            throw new IllegalArgumentException("field must be FIELD_PAGE_FLAGS, was " + field);
        }
        return pageFlags;
    }

    @Override
    public void setWeakValue(int field, long value) {
        if (field != FIELD_PAGE_FLAGS) {
            throw new IllegalArgumentException("field must be FIELD_PAGE_FLAGS, was " + field);
        }
        pageFlags = (int) value;
    }

    @Override
    public Merge weakMerge(int field) {
        return Merge.BITS;
    }

    /**
     * The explorer's name for this page's {@code page->flags} word, as the scheduling points of
     * {@code PhysMem.clearPageAnonExclusive()} and {@link PhysMem#pageAnonExclusive} name it: apart
     * from the folio's counts (a small folio is its own page, and its count points name the whole
     * folio), so that the flag's accesses conflict only with each other. A new object per call, as
     * only explored runs ask.
     */
    final SchedKeyed flagsKey() {
        return new FlagsKey(pfn);
    }

    private record FlagsKey(int pfn) implements SchedKeyed {
        @Override
        public String schedKey() {
            return "page(pfn=" + pfn + ").flags";
        }
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
