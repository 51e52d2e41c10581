package org.gupsim.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gupsim.arch.ArchVariant;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Sched;
import org.gupsim.vm.VmFlags;

/**
 * An architecture variant's page tables on a machine of their own, without an address space or
 * VMAs: entries are written straight into the slots core's locked walk ({@code walkAlloc()})
 * allocates, and read back with the locked walk. What an architecture test uses to check that its
 * format and geometry agree with the generic walk.
 */
public final class StandalonePageTables {
    /** The frame of the PTE leaf {@link #assertPteFoundByTheWalk} writes. */
    public static final long PTE_PFN = 0x77;

    private StandalonePageTables() {
    }

    /** Empty page tables of {@code v} on 4095 frames plus the zero page, which end on a 64-frame boundary. */
    public static PageTables of(ArchVariant v) {
        PhysMem mem = new PhysMem(new MemConfig(v.pageShift(), 4095, 0, 0, false), new Sched(), v.maxPageOrder());
        return new PageTables(mem, v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
    }

    /**
     * Writes a shared read-write PTE for frame {@link #PTE_PFN} at {@code addr} (the walk allocates
     * the tables above it; the new slot is empty) and walks back to it: found at the PTE level, present, that frame, writable.
     */
    public static void assertPteFoundByTheWalk(PageTables pt, long addr) {
        EntryFormat f = pt.format();
        long prot = f.vmGetPageProt(VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_SHARED);
        Walk w = pt.walkAlloc(addr, Level.PTE, new Walk(), "test");
        assertNotNull(w);
        assertEquals(Level.PTE, w.level);
        assertFalse(w.leafPresent, "a new slot is empty");
        PgtableInternals.write(w.table, w.index, f.mkLeaf(Level.PTE, PTE_PFN, prot), "test");
        Walk r = pt.walk(addr, new Walk(), "test");
        assertEquals(Level.PTE, r.level);
        assertTrue(r.leafPresent);
        assertEquals(PTE_PFN, f.leafPfn(Level.PTE, r.entry));
        assertTrue(f.accessPermitted(Level.PTE, r.entry, true));
    }

    /**
     * Writes a PROT_NONE huge leaf for {@code pfn} at {@code level} and {@code addr}, and walks to
     * {@code addr + offset}: the walk stops at the leaf, which is present, PROT_NONE and that frame.
     */
    public static void assertProtNoneLeafFoundByTheWalk(PageTables pt, Level level, long addr, long pfn, long offset) {
        EntryFormat f = pt.format();
        Walk h = pt.walkAlloc(addr, level, new Walk(), "test");
        assertNotNull(h);
        PgtableInternals.write(h.table, h.index, f.mkLeaf(level, pfn, f.vmGetPageProt(0)), "test");
        Walk hr = pt.walk(addr + offset, new Walk(), "test");
        assertEquals(level, hr.level, "the walk stops at the huge leaf");
        assertTrue(hr.leafPresent, "a PROT_NONE huge leaf is present");
        assertTrue(f.leafProtnone(level, hr.entry));
        assertEquals(pfn, f.leafPfn(level, hr.entry));
    }
}
