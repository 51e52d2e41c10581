package org.gupsim.arch.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The x86 format and geometry driven by core's locked walks. */
class X86PageTablesTest {

    private static PageTables tables(ArchVariant v) {
        // 4095 frames + the zero page end on a 64-frame boundary (see the report on empty FramePools)
        PhysMem mem = new PhysMem(new MemConfig(v.pageShift(), 4095, 0, 0, false), new Sched(), v.maxPageOrder());
        return new PageTables(mem, v.newMmGeometry(), v.entryFormat(), v.fragmentsPerPage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "native+la57"})
    void pteAndHugeLeavesAreFoundByTheWalk(String spec) {
        ArchVariant v = new X86_64().variant(spec, KernelVersion.LATEST);
        EntryFormat f = v.entryFormat();
        PageTables pt = tables(v);
        assertEquals(v.newMmGeometry().top(), pt.root().level());
        long prot = f.vmGetPageProt(X86EntryFormat.VM_READ | X86EntryFormat.VM_WRITE | X86EntryFormat.VM_SHARED);

        long addr = 0x7f0000201000L;
        Walk w = pt.walkAlloc(addr, Level.PTE, new Walk(), "test");
        assertNotNull(w);
        assertEquals(Level.PTE, w.level);
        assertFalse(w.leafPresent);
        PgtableInternals.write(w.table, w.index, f.mkLeaf(Level.PTE, 0x77, prot), "test");
        Walk r = pt.walk(addr, new Walk(), "test");
        assertEquals(Level.PTE, r.level);
        assertTrue(r.leafPresent);
        assertEquals(0x77, f.leafPfn(Level.PTE, r.entry));
        assertTrue(f.accessPermitted(Level.PTE, r.entry, true));
        assertEquals(v.newMmGeometry().levels(), pt.tablesLive(), "one table per real level");

        long huge = 0x7f0040000000L; // a different PUD slot, 1G aligned
        for (Level level : new Level[] {Level.PMD, Level.PUD}) {
            long a = level == Level.PMD ? huge : huge + (1L << 30);
            Walk h = pt.walkAlloc(a, level, new Walk(), "test");
            assertNotNull(h);
            long pfn = level == Level.PMD ? 0x200 : 0x40000;
            PgtableInternals.write(h.table, h.index, f.mkLeaf(level, pfn, f.vmGetPageProt(0)), "test");
            Walk hr = pt.walk(a + 0x5000, new Walk(), "test");
            assertEquals(level, hr.level, "the walk stops at the huge leaf");
            assertTrue(hr.leafPresent, "a PROT_NONE huge leaf is present");
            assertTrue(f.leafProtnone(level, hr.entry));
            assertEquals(pfn, f.leafPfn(level, hr.entry));
        }
    }
}
