package org.gupsim.gup;

import org.gupsim.kernel.Kernel;
import org.gupsim.mm.Folio;
import org.gupsim.pgtable.FoldedOffset;
import org.gupsim.pgtable.Geometry;

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

    /**
     * Mirrors the architecture's {@code pXd_offset()} from the levels {@code g} folds above its top
     * table into that table, handed a pointer that is not into a page table: the walker's stack
     * copy of the entry, as GUP-fast did before d3f7b1bb2040 (patch {@code folded-offset-on-copy}).
     * Only consulted when {@code g} folds a level. The default is the generic folding of
     * asm-generic/pgtable-nop4d.h and friends, which returns the pointer it is handed.
     */
    default FoldedOffset foldedOffset(Geometry g) {
        return FoldedOffset.PASSED_POINTER;
    }

    /**
     * Mirrors GUP-fast's {@code pXd_offset_lockless(pXdp, pXd, addr)} from the levels {@code g}
     * folds above its top table into that table, on {@code kernel}. Only consulted when {@code g}
     * folds a level. The default is the generic definition of include/linux/pgtable.h,
     * {@code pXd_offset(&pXd, addr)}: the stack copy goes to the architecture's folded offset,
     * {@link #foldedOffset}. An architecture that defines its own lockless offset from the real
     * pointer answers {@link FoldedOffset#REAL_TABLE}.
     */
    default FoldedOffset foldedOffsetLockless(Geometry g, Kernel kernel) {
        return foldedOffset(g);
    }
}
