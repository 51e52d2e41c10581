package org.gupsim.mm;

/**
 * Allocation contexts, named after the kernel's GFP masks. They decide which zones and
 * pageblocks a folio may come from.
 */
public enum Gfp {
    /** {@code GFP_KERNEL}: unmovable, NORMAL zone outside CMA (page tables, slab, kernel data). */
    KERNEL,
    /** {@code GFP_NOWAIT}: as KERNEL but may be made to fail (the mmu_gather batch page). */
    NOWAIT,
    /** {@code GFP_HIGHUSER_MOVABLE}: user memory, page cache; may land in MOVABLE or CMA. */
    HIGHUSER_MOVABLE,
    /** {@code GFP_HIGHUSER}: user memory that must not move (hugetlb pool pages, migration targets). */
    HIGHUSER
}
