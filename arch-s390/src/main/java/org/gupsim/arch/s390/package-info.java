/**
 * s390 (z/Architecture) for gupsim: the {@link org.gupsim.arch.s390.S390} architecture, its
 * variants (one page table per page, or two 2K page tables packed into a 4K page as kernels
 * before about 6.7 did), the region/segment/page-table entry format, the address-space layout and
 * the run-time upgrade of a new 3-level mm to 4 or 5 levels. Mirrors
 * arch/s390/include/asm/pgtable.h, pgalloc.h, processor.h, arch/s390/mm/pgalloc.c and
 * arch/s390/mm/mmap.c.
 */
package org.gupsim.arch.s390;
