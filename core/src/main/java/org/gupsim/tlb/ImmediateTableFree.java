package org.gupsim.tlb;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.pgtable.PageTable;

/**
 * Tables are freed right after the TLB flush, like ordinary pages ({@code tlb_remove_page()} on
 * the table page). Safe against GUP-fast only where the flush itself waited for every CPU, i.e.
 * with an IPI flush: the walker's IRQ-off section then ended before the flush returned.
 */
public final class ImmediateTableFree implements TableFreePolicy {

    /** Freed right after the flush: nothing waited for, no fallback. */
    public static final TableFreePromise PROMISE = new TableFreePromise("IMMEDIATE", TableFreePromise.Wait.NOTHING,
            TableFreePromise.Wait.NOTHING);

    @Override
    public TableFreePromise promise() {
        return PROMISE;
    }

    @Override
    public void removeTable(MmuGather tlb, PageTable table) {
        tlb.pendingTables().add(table);
    }

    @Override
    public void flushTables(MmuGather tlb) {
        List<PageTable> tables = new ArrayList<>(tlb.pendingTables());
        tlb.pendingTables().clear();
        for (PageTable t : tables) {
            tlb.pageTables().freeTable(t, "tlb_flush_mmu_free");
        }
    }
}
