/**
 * x86-64 for gupsim: the {@link org.gupsim.arch.x86.X86_64} architecture, its variants (IPI
 * shootdown with immediate or RCU table freeing, optional LA57 5-level paging), the page-table
 * entry format and the address-space layout. Mirrors arch/x86/include/asm/pgtable.h,
 * pgtable_types.h, pgtable_64_types.h, arch/x86/mm/pgprot.c, arch/x86/mm/tlb.c and
 * arch/x86/mm/pgtable.c.
 */
package org.gupsim.arch.x86;
