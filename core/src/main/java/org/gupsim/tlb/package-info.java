/**
 * TLB shootdown and page-table freeing: the mm's CPU mask, {@code mmu_gather}, the flush backends
 * (IPI, hardware broadcast, paravirt) and the table-freeing policies (free after the flush, or
 * MMU_GATHER_RCU_TABLE_FREE). Mirrors mm/mmu_gather.c, include/asm-generic/tlb.h and the
 * architectures' flush_tlb_mm_range().
 *
 * <p>Teardown always goes unhook entries, invalidate TLBs, then free: tables before pages. What a
 * lockless walker may rely on depends on the pair of backend and policy the architecture
 * variant plugs in here.
 */
package org.gupsim.tlb;
