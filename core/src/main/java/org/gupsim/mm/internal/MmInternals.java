package org.gupsim.mm.internal;

import org.apache.commons.lang3.Validate;
import org.gupsim.mm.Folio;
import org.gupsim.mm.FolioMapping;
import org.gupsim.mm.Page;

/**
 * Not API: may change in any release. The plain stores into {@code struct folio} and
 * {@code struct page} that the kernel makes inside mm/ ({@code folio->mapping = ...},
 * {@code folio->index = ...}, {@code folio_set_dirty()}, {@code SetPageAnonExclusive()}): the
 * model's fs, vm and gup code and the architecture modules call them here; {@link Folio} and
 * {@link Page} keep them package-private.
 *
 * <p>How: the accessor pattern of the JDK's {@code SharedSecrets}. {@link Page}'s class
 * initialiser hands this class an {@link Access} that reaches its package-private members, once;
 * every caller holds a folio or page, so that initialiser has run before any call here.
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
    }

    private static Access access;

    private MmInternals() {
    }

    /**
     * Called once, by {@code org.gupsim.mm}'s class initialiser.
     *
     * @throws IllegalStateException on a second call
     */
    public static void install(Access mm) {
        Validate.notNull(mm, "mm must not be null");
        Validate.validState(access == null, "org.gupsim.mm's access is installed already");
        access = mm;
    }

    /** {@code folio->mapping = mapping} (a plain store; lockless readers use {@code PhysMem.readMapping}). */
    public static void setMapping(Folio folio, FolioMapping mapping) {
        access.setMapping(folio, mapping);
    }

    /** {@code folio->index = index}: the file offset, or the linear page index of anonymous memory. */
    public static void setIndex(Folio folio, long index) {
        access.setIndex(folio, index);
    }

    /** {@code folio_set_*()}: sets a {@code Folio.PG_*} flag (the order bits are never touched). */
    public static void setFlag(Folio folio, int flag) {
        access.setFlag(folio, flag);
    }

    /** {@code folio_clear_*()}: clears a {@code Folio.PG_*} flag. */
    public static void clearFlag(Folio folio, int flag) {
        access.clearFlag(folio, flag);
    }

    /** {@code SetPage*()} on one subpage: {@code Page.PG_ANON_EXCLUSIVE}, {@code Page.PG_HWPOISON}. */
    public static void setPageFlag(Page page, int flag) {
        access.setPageFlag(page, flag);
    }

    /** {@code ClearPage*()} on one subpage. */
    public static void clearPageFlag(Page page, int flag) {
        access.clearPageFlag(page, flag);
    }
}
