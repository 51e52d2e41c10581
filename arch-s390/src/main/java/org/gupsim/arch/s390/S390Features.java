package org.gupsim.arch.s390;

import org.gupsim.kernel.Feature;
import org.gupsim.kernel.FeatureProvider;

/** The features of arch/s390 memory management that differ between kernels. */
public final class S390Features implements FeatureProvider {
    /**
     * Whether every 2K page table has a 4K page of its own: d08d4e7cd6bf ("s390/mm: use full 4KB
     * page for 2KB PTE", Alexander Gordeev, merged for 6.7) gave up the packing of two 2K tables
     * into one page, with its fragment bookkeeping in {@code page->_refcount}, that
     * {@code page_table_alloc()} had done. It decides the default variant: {@code fragments}
     * before, {@code default} from then on.
     */
    public static final Feature<Boolean> FULL_PAGE_PTE = Feature.builder("s390-full-page-pte", Boolean.class,
                    "whether each 2K s390 page table has a 4K page of its own")
            .initially("fragments", false, "page_table_alloc() packs two 2K page tables into one 4K page",
                    "before d08d4e7cd6bf")
            .from("6.7", "full-page", true, "one 2K page table per 4K page, no fragment tracking", "d08d4e7cd6bf")
            .build();
}
