package org.gupsim.gup;

import org.gupsim.mm.Folio;

/** What GUP needs from an architecture variant beyond the page tables. */
public interface GupArch {

    /** {@code CONFIG_HAVE_GUP_FAST}: without it {@code gup_fast()} pins nothing and all goes slow. */
    default boolean haveGupFast() {
        return true;
    }

    /**
     * Mirrors {@code arch_make_folio_accessible()}: s390 protected virtualisation exports a secure
     * page here; false makes GUP-fast bail and the slow path fail.
     */
    default boolean archMakeFolioAccessible(Folio folio) {
        return true;
    }
}
