package org.gupsim.arch.arm64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gupsim.arch.ArchVariant;
import org.gupsim.gup.KernelVersion;
import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.pgtable.EntryFormat;
import org.gupsim.pgtable.Level;
import org.gupsim.pgtable.PageTables;
import org.gupsim.pgtable.Walk;
import org.gupsim.pgtable.internal.PgtableInternals;
import org.gupsim.sched.Sched;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's walks over real arm64 descriptors: pages and blocks at every level that may hold
 * one, including a PUD block in the top table of 4K/39-bit and a PMD block in the top table of
 * 64K/42-bit, which no x86 geometry has.
 */
class Arm64PageTablesTest {

    private static PageTables tables(ArchVariant v) {
        PhysMem mem = new PhysMem(new MemConfig(v.pageShift(), 4095, 0, 0, false), new Sched(), v.maxPageOrder());
        return new PageTables(mem, v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4k-39", "4k-48", "4k-52", "4k-52+lpa2", "16k-47", "16k-48", "16k-48+lpa2", "16k-52", "16k-52+lpa2",
            "64k-42", "64k-48"})
    void pagesAndBlocksAreFoundByTheWalk(String spec) {
        ArchVariant v = new Arm64().variant(spec, KernelVersion.LATEST);
        var g = v.newMmGeometry();
        EntryFormat f = v.entryFormat();
        PageTables pt = tables(v);
        assertEquals(g.top(), pt.root().level());
        long prot = f.vmGetPageProt(Arm64EntryFormat.VM_READ | Arm64EntryFormat.VM_WRITE | Arm64EntryFormat.VM_SHARED);
        long addr = v.mmapBase() + 3 * g.pageSize();
        Walk w = pt.walkAlloc(addr, Level.PTE, new Walk(), "test");
        assertNotNull(w);
        PgtableInternals.write(w.table, w.index, f.mkLeaf(Level.PTE, 0x77, prot), "test");
        Walk r = pt.walk(addr, new Walk(), "test");
        assertEquals(Level.PTE, r.level);
        assertTrue(r.leafPresent);
        assertEquals(0x77, f.leafPfn(Level.PTE, r.entry));
        assertTrue(f.accessPermitted(Level.PTE, r.entry, true));
        assertEquals(g.levels(), pt.tablesLive(), "one table per real level");

        for (Level level : new Level[] {Level.PMD, Level.PUD}) {
            if (!g.leafAllowed(level) || g.folded(level)) {
                continue;
            }
            long size = g.size(level);
            long a = (v.mmapBase() / 2) & -size;
            if (level == Level.PUD) {
                a += size;
            }
            Walk h = pt.walkAlloc(a, level, new Walk(), "test");
            assertNotNull(h);
            long pfn = size >>> g.pageShift();
            PgtableInternals.write(h.table, h.index, f.mkLeaf(level, pfn, f.vmGetPageProt(0)), "test");
            Walk hr = pt.walk(a + 5 * g.pageSize(), new Walk(), "test");
            assertEquals(level, hr.level, "the walk stops at the block");
            assertTrue(hr.leafPresent, "a PROT_NONE block is present");
            assertTrue(f.leafProtnone(level, hr.entry));
            assertEquals(pfn, f.leafPfn(level, hr.entry));
        }
    }
}
