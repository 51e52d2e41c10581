package org.gupsim.tlb;

import org.gupsim.pgtable.PageTable;

/**
 * When page-table pages removed by an {@link MmuGather} are given back. Mirrors the two builds of
 * {@code tlb_remove_table()} in mm/mmu_gather.c. Built-in and user policies are the same kind of value:
 * the comparison reasons about one only from its {@link #promise()}.
 */
public interface TableFreePolicy {

    /** What this policy promises about when a table is given back; checked against what it does. */
    TableFreePromise promise();

    /** Mirrors {@code tlb_remove_table()}: the table is unhooked; free it when this policy allows. */
    void removeTable(MmuGather tlb, PageTable table);

    /** Called by {@code tlb_flush_mmu_free()} after the TLB flush. */
    void flushTables(MmuGather tlb);
}
