package org.gupsim.arch.s390;

import org.gupsim.arch.Labelled;

/**
 * The variants of s390: how page tables are packed into page-table pages. Both flush with
 * IPTE/IDTE broadcast and free tables through RCU. The declaration order is the listing order.
 */
public enum S390BaseVariant implements Labelled {
    /** One 2K page table per 4K page, as kernels since 6.7 (d08d4e7cd6bf) allocate them. */
    DEFAULT("one 2K page table per 4K page (6.7+, d08d4e7cd6bf)"),
    /**
     * Two 2K page tables share one 4K page, as {@code page_table_alloc()} did with its fragment
     * bookkeeping before 6.7.
     */
    FRAGMENTS("two 2K page tables packed into one 4K page (before 6.7)");

    private final String description;

    S390BaseVariant(String description) {
        this.description = description;
    }

    /** The name users type: the constant's name in lower case. */
    @Override
    public String label() {
        return Labelled.ofName(this);
    }

    public String description() {
        return description;
    }

    /** Whether two page tables share a page: the variant named for it. */
    public boolean fragments() {
        return this == FRAGMENTS;
    }
}
