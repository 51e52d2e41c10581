/**
 * arm64 for gupsim: the {@link org.gupsim.arch.arm64.Arm64} architecture, its variants by
 * translation granule and virtual-address size (with the LPA2 CPU feature as an option), the
 * page-table entry format and the address-space layout. Mirrors
 * arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h, pgtable.h, arch/arm64/mm/mmap.c and
 * arch/arm64/include/asm/tlbflush.h.
 */
package org.gupsim.arch.arm64;
