/**
 * powerpc book3s64 for gupsim: the {@link org.gupsim.arch.powerpc.Ppc64} architecture, its radix
 * (64K and 4K pages) and hash (64K pages) variants, the page-table entry format shared by both
 * MMUs, and the address-space layout. Mirrors arch/powerpc/include/asm/book3s/64/pgtable.h,
 * radix.h, radix-64k.h, radix-4k.h, hash.h, hash-64k.h, task_size_64.h,
 * arch/powerpc/mm/book3s64/pgtable.c, arch/powerpc/mm/pgtable.c and
 * arch/powerpc/mm/book3s64/radix_tlb.c.
 */
package org.gupsim.arch.powerpc;
