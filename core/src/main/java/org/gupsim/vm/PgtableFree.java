package org.gupsim.vm;

import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Geometry;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTable;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.tlb.MmuGather;

/**
 * Freeing the page tables of an unmapped range. Mirrors mm/memory.c {@code free_pgtables()} →
 * {@code free_pgd_range()} ... {@code free_pte_range()}; each table freed goes to the
 * {@code mmu_gather}'s {@code tlb_remove_table()} (mm/mmu_gather.c), whose architecture policy
 * decides when its memory is reused.
 */
final class PgtableFree {
    private PgtableFree() {
    }

    /**
     * Mirrors {@code free_pgtables()} → {@code free_pgd_range()}: frees the tables that only
     * served {@code [start, end)}, i.e. whose whole span lies within {@code [floor, ceiling)} (the
     * gap left between the neighbouring VMAs). Each goes to {@code tlb_remove_table()} after its
     * parent entry is cleared; the top table is never freed here.
     */
    static void freePgtables(MmuGather tlb, Mm mm, long start, long end, long floor, long ceiling) {
        PageTables pt = mm.pageTables();
        freeLevel(tlb, pt, pt.root(), pt.geometry().top(), 0, start, end, floor, ceiling);
    }

    private static void freeLevel(MmuGather tlb, PageTables pt, PageTable table, Level level, long base, long start,
                           long end, long floor, long ceiling) {
        if (level == Level.PTE) {
            return;
        }
        Geometry g = pt.geometry();
        EntryFormat fmt = pt.format();
        long size = g.size(level);
        int first = (int) (Math.max(0, start - base) >>> g.shift(level));
        for (int i = first; i < table.nrEntries(); i++) {
            long eStart = base + (long) i * size;
            if (eStart >= end) {
                break;
            }
            long e = table.read(i, "free_pgd_range");
            if (fmt.none(level, e) || !fmt.present(level, e) || fmt.leaf(level, e)) {
                continue;
            }
            PageTable child = pt.tableAt(fmt.tablePhys(level, e));
            if (child == null) {
                continue;
            }
            freeLevel(tlb, pt, child, level.below(), eStart, start, end, floor, ceiling);
            long eEnd = eStart + size;
            if (eStart >= floor && eEnd <= ceiling && child.empty()) {
                PgtableInternals.write(table, i, 0, level.kernelName() + "_clear");
                tlb.tlbRemoveTable(child, eStart);
            }
        }
    }
}
