package org.gupsim.tlb;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.Folio;
import org.gupsim.mm.Gfp;
import org.gupsim.pgtable.PageTable;

/**
 * MMU_GATHER_RCU_TABLE_FREE. Mirrors mm/mmu_gather.c {@code tlb_remove_table()},
 * {@code tlb_table_flush()}, {@code tlb_remove_table_rcu()} and the fallback
 * {@code tlb_remove_table_one()}.
 *
 * <p>Removed tables go into a batch (a page allocated with GFP_NOWAIT). When the batch is flushed,
 * the TLBs are invalidated first where the architecture needs it, then the batch is handed to
 * {@code call_rcu()}; the tables are freed after a grace period. A GUP-fast walker runs with IRQs
 * off, which under consolidated RCU is a read-side section, so it cannot see a table freed under
 * it (strategy B of mm/gup.c). If the batch page cannot be allocated, the table is freed on the
 * spot after {@code tlb_remove_table_sync_one()}: an IPI to every other CPU, waited for, which an
 * IRQ-off walker holds up exactly as an IPI flush would.
 */
public final class RcuTableFree implements TableFreePolicy {
    /** Mirrors {@code MAX_TABLE_BATCH} for 4K pages and 8-byte pointers. */
    public static final int MAX_TABLE_BATCH = 509;

    private final boolean needsTableInvalidate;

    /**
     * @param needsTableInvalidate mirrors {@code tlb_needs_table_invalidate()}: false where the
     *                             hardware never walks the Linux tables (powerpc hash)
     */
    public RcuTableFree(boolean needsTableInvalidate) {
        this.needsTableInvalidate = needsTableInvalidate;
    }

    /** After a grace period; without a batch page, after {@code tlb_remove_table_sync_one()}'s IPI round. */
    public static final TableFreePromise PROMISE = new TableFreePromise("RCU",
            TableFreePromise.Wait.RCU_GRACE_PERIOD, TableFreePromise.Wait.IPI_ROUND);

    @Override
    public TableFreePromise promise() {
        return PROMISE;
    }

    @Override
    public void removeTable(MmuGather tlb, PageTable table) {
        if (tlb.batchPage() == null) {
            Folio batch = tlb.pageTables().mem().allocFolio(0, Gfp.NOWAIT);
            if (batch == null) {
                tlbTableInvalidate(tlb);
                tlbRemoveTableOne(tlb, table);
                return;
            }
            tlb.setBatchPage(batch);
        }
        tlb.pendingTables().add(table);
        if (tlb.pendingTables().size() >= MAX_TABLE_BATCH) {
            tlbTableFlush(tlb);
        }
    }

    @Override
    public void flushTables(MmuGather tlb) {
        tlbTableFlush(tlb);
    }

    /** Mirrors {@code tlb_table_invalidate()}. */
    private void tlbTableInvalidate(MmuGather tlb) {
        if (needsTableInvalidate) {
            tlb.tlbFlushMmuTlbonly();
        }
    }

    /** Mirrors {@code tlb_remove_table_one()} without CONFIG_PT_RECLAIM. */
    private void tlbRemoveTableOne(MmuGather tlb, PageTable table) {
        tlbRemoveTableSyncOne(tlb);
        tlb.pageTables().freeTable(table, "tlb_remove_table_one");
    }

    /** Mirrors {@code tlb_remove_table_sync_one()}: {@code smp_call_function(noop, wait=1)}. */
    private void tlbRemoveTableSyncOne(MmuGather tlb) {
        tlbRemoveTableSyncOne(tlb.tlbMm().smp());
    }

    /**
     * Mirrors mm/mmu_gather.c {@code tlb_remove_table_sync_one()} where MMU_GATHER_RCU_TABLE_FREE
     * is configured (elsewhere it is empty): {@code smp_call_function(noop, wait=1)}, an IPI to
     * every other CPU, waited for. Not a grace period, but a walker with IRQs off (GUP-fast) holds
     * it up, so when it returns no such walker still uses a table unhooked before it.
     */
    public static void tlbRemoveTableSyncOne(org.gupsim.smp.Smp smp) {
        smp.smpCallFunctionMany(smp.allCpusMask(), cpu -> { }, true, "tlb_remove_table_sync_one");
    }

    /** Mirrors {@code tlb_table_flush()}: invalidate, then free the batch after a grace period. */
    private void tlbTableFlush(MmuGather tlb) {
        if (tlb.pendingTables().isEmpty()) {
            return;
        }
        tlbTableInvalidate(tlb);
        List<PageTable> batch = new ArrayList<>(tlb.pendingTables());
        tlb.pendingTables().clear();
        Folio batchPage = tlb.batchPage();
        tlb.setBatchPage(null);
        var pageTables = tlb.pageTables();
        var mem = tlb.pageTables().mem();
        tlb.tlbMm().smp().rcu().callRcuSched(() -> {
            for (PageTable t : batch) {
                pageTables.freeTable(t, "tlb_remove_table_rcu");
            }
            mem.folioPut(batchPage);
        });
    }
}
