package org.gupsim.gup;

import org.gupsim.kernel.Patch;
import org.gupsim.kernel.PatchProvider;

/** Patches to mm/gup.c: GUP-fast without one of the things that keep it safe. */
public final class GupPatches implements PatchProvider {
    /** GUP-fast walks with IRQs on (no {@code local_irq_save()} around {@code gup_fast_pgd_range()}). */
    public static final Patch NO_IRQ_DISABLE = Patch.builder("no-irq-disable")
            .undoes("local_irq_save()/local_irq_restore() around gup_fast_pgd_range() in gup_fast()")
            .set(GupFeatures.IRQ_DISABLE, false)
            .build();

    /** GUP-fast does not recheck the PTE after grabbing the folio. */
    public static final Patch NO_PTE_RECHECK = Patch.builder("no-pte-recheck")
            .undoes("the PTE recheck in gup_fast_pte_range()")
            .set(GupFeatures.PTE_RECHECK, false)
            .build();

    /** GUP-fast does not recheck the PMD after grabbing the folio (before 70cbc3cc78a9). */
    public static final Patch NO_PMD_RECHECK = Patch.builder("no-pmd-recheck")
            .undoes("70cbc3cc78a9 \"mm: gup: fix the fast GUP race against THP collapse\"")
            .set(GupFeatures.PMD_RECHECK, false)
            .build();

    /**
     * GUP-fast offsets folded levels from its stack copy of the entry, as generic GUP-fast did
     * before d3f7b1bb2040 ({@code pXd_offset(&copy, addr)} instead of
     * {@code pXd_offset_lockless(pXdp, pXd, addr)}).
     */
    public static final Patch FOLDED_OFFSET_ON_COPY = Patch.builder("folded-offset-on-copy")
            .description("GUP-fast offsets folded levels from its stack copy (before d3f7b1bb2040)")
            .undoes("d3f7b1bb2040 \"mm/gup: fix gup_fast with dynamic page table folding\"")
            .set(GupFeatures.LOCKLESS_OFFSET, false)
            .build();
}
