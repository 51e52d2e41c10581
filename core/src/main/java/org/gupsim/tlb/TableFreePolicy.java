package org.gupsim.tlb;

import org.gupsim.pgtable.PageTable;

/**
 * When page-table pages removed by an {@link MmuGather} are given back. Mirrors the two builds of
 * {@code tlb_remove_table()} in mm/mmu_gather.c.
 */
public interface TableFreePolicy {

    /** Names as reports show them. */
    enum Kind {
        /** Freed right after the TLB flush (x86 before 6.15 without a PV flush). */
        IMMEDIATE,
        /** MMU_GATHER_RCU_TABLE_FREE: batched and freed after an RCU grace period. */
        RCU
    }

    Kind kind();

    /** Mirrors {@code tlb_remove_table()}: the table is unhooked; free it when this policy allows. */
    void removeTable(MmuGather tlb, PageTable table);

    /** Called by {@code tlb_flush_mmu_free()} after the TLB flush. */
    void flushTables(MmuGather tlb);
}
