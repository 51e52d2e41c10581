package org.gupsim.tlb;

import java.util.ArrayList;
import java.util.List;
import org.gupsim.mm.Folio;
import org.gupsim.mm.PhysMem;
import org.gupsim.mm.internal.MmInternals;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.util.Args;

/**
 * One {@code struct mmu_gather}: what an unmap has unhooked and may free only after the TLBs no
 * longer hold it. Mirrors {@code tlb_gather_mmu()}, {@code tlb_remove_page()},
 * {@code tlb_remove_table()}, {@code tlb_flush_mmu()} and {@code tlb_finish_mmu()}.
 *
 * <p>Order, as in the kernel: entries are cleared by the caller, then {@link #tlbFlushMmu()}
 * invalidates TLBs ({@link #tlbFlushMmuTlbonly()}) and only then frees, tables before pages.
 */
public final class MmuGather {
    private final TlbMm tlbMm;
    private final PageTables pageTables;
    private final FlushBackend flush;
    private final TableFreePolicy tablePolicy;
    private final List<Folio> pages = new ArrayList<>();
    private final List<PageTable> tables = new ArrayList<>();
    private long start = Long.MAX_VALUE;
    private long end;
    private boolean freedTables;
    private Folio batchPage;

    /** Mirrors {@code tlb_gather_mmu()}. */
    public MmuGather(TlbMm tlbMm, PageTables pageTables, FlushBackend flush, TableFreePolicy tablePolicy) {
        this.tlbMm = Args.notNull(tlbMm, "tlbMm");
        this.pageTables = Args.notNull(pageTables, "pageTables");
        this.flush = Args.notNull(flush, "flush");
        this.tablePolicy = Args.notNull(tablePolicy, "tablePolicy");
    }

    public TlbMm tlbMm() {
        return tlbMm;
    }

    public PageTables pageTables() {
        return pageTables;
    }

    List<PageTable> pendingTables() {
        return tables;
    }

    Folio batchPage() {
        return batchPage;
    }

    void setBatchPage(Folio page) {
        this.batchPage = page;
    }

    /** Mirrors {@code tlb_flush_pte_range()} / {@code tlb_adjust_range()}. */
    public void tlbAdjustRange(long address, long size) {
        start = Math.min(start, address);
        end = Math.max(end, address + size);
    }

    /**
     * Mirrors {@code tlb_remove_page()}: the caller cleared the entry that mapped {@code folio}; the
     * mapping's reference is dropped after the flush.
     */
    public void tlbRemovePage(Folio folio) {
        pages.add(folio);
    }

    /** Mirrors {@code tlb_remove_table()} (via {@code pte_free_tlb()} and friends). */
    public void tlbRemoveTable(PageTable table, long address) {
        freedTables = true;
        tlbAdjustRange(address, 1);
        tablePolicy.removeTable(this, table);
    }

    /**
     * Mirrors {@code tlb_flush_mmu_tlbonly()}: invalidate the gathered range, free nothing, then
     * {@code __tlb_reset_range()}: with nothing gathered since, a second call (as
     * {@code tlb_table_invalidate()} makes right after {@code tlb_flush_mmu()}) does nothing.
     */
    public void tlbFlushMmuTlbonly() {
        if (end == 0 && !freedTables) {
            return;
        }
        flush.flushTlbMmRange(tlbMm, start == Long.MAX_VALUE ? 0 : start, end, freedTables);
        start = Long.MAX_VALUE;
        end = 0;
        freedTables = false;
    }

    /**
     * Mirrors {@code tlb_flush_mmu_free()}: tables first, then pages, which go through
     * {@code free_pages_and_swap_cache()}: a swap-cache folio nothing maps any more leaves the
     * swap cache before its reference is dropped.
     */
    private void tlbFlushMmuFree() {
        tablePolicy.flushTables(this);
        PhysMem mem = pageTables.mem();
        for (Folio f : pages) {
            if (f.swapcache()) {
                MmInternals.freeSwapCache(mem.swap(), f);
            }
            mem.folioPut(f);
        }
        pages.clear();
    }

    /** Mirrors {@code tlb_flush_mmu()}. */
    public void tlbFlushMmu() {
        tlbFlushMmuTlbonly();
        tlbFlushMmuFree();
    }

    /** Mirrors {@code tlb_finish_mmu()}. */
    public void tlbFinishMmu() {
        tlbFlushMmu();
    }
}
