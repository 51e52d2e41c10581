package org.gupsim.pgtable;

import static org.junit.jupiter.api.Assertions.*;

import org.gupsim.mm.MemConfig;
import org.gupsim.mm.PhysMem;
import org.gupsim.sched.Sched;
import org.junit.jupiter.api.Test;

/**
 * The page-table SPI must carry the other architectures of spec §8, though only x86-64 is built
 * yet: s390's 2048-entry region/segment tables over 256-entry page tables (two to a page in
 * older kernels) and its run-time upgrade from 3 to 4 levels; powerpc radix with 64K pages and
 * 256-byte PTE fragments; arm64 16K with a folded level. A minimal entry format stands in for
 * the real ones (each architecture module brings its own).
 */
class GeometrySpiTest {

    /**
     * Bit 0 present, bit 1 huge leaf, bit 2 write; pfn from bit 12 for leaves; a table's physical
     * address keeps bits 8..11 because fragments (s390 2K tables, powerpc 256 bytes) start there.
     */
    static final class TestFormat implements EntryFormat {
        public boolean none(Level l, long e) { return e == 0; }
        public boolean present(Level l, long e) { return (e & 1) != 0; }
        public boolean leaf(Level l, long e) { return l == Level.PTE || (e & 2) != 0; }
        public long tablePhys(Level l, long e) { return e & ~0xffL; }
        public long mkTable(Level l, long phys) { return phys | 1; }
        public long mkLeaf(Level l, long pfn, long prot) { return (pfn << 12) | 1 | (l == Level.PTE ? 0 : 2) | prot; }
        public long leafPfn(Level l, long e) { return e >>> 12; }
        public boolean leafWrite(Level l, long e) { return (e & 4) != 0; }
        public boolean leafDirty(Level l, long e) { return false; }
        public boolean leafYoung(Level l, long e) { return false; }
        public boolean leafSpecial(Level l, long e) { return false; }
        public boolean leafDevmap(Level l, long e) { return false; }
        public boolean leafProtnone(Level l, long e) { return false; }
        public boolean accessPermitted(Level l, long e, boolean w) { return present(l, e) && (!w || leafWrite(l, e)); }
        public long mkWrite(Level l, long e) { return e | 4; }
        public long wrprotect(Level l, long e) { return e & ~4L; }
        public long mkDirty(Level l, long e) { return e; }
        public long mkClean(Level l, long e) { return e; }
        public long mkYoung(Level l, long e) { return e; }
        public long mkOld(Level l, long e) { return e; }
        public long mkSpecial(Level l, long e) { return e; }
        public long mkDevmap(Level l, long e) { return e; }
        public long modify(Level l, long e, long prot) { return (e & ~4L) | prot; }
        public long vmGetPageProt(long vmFlags) { return (vmFlags & 2) != 0 ? 4 : 0; }
        public boolean hasPteSpecial() { return true; }
        public String describe(Level l, long e) { return Long.toHexString(e); }
        // Swap PTEs: bit 0 clear, type in bits 3..7, offset from bit 12, exclusive bit 8.
        public long mkSwpPte(int type, long offset) { return 2 | ((long) type << 3) | (offset << 12); }
        public int swpType(long e) { return (int) ((e >>> 3) & 31); }
        public long swpOffset(long e) { return e >>> 12; }
        public boolean swpExclusive(long e) { return (e & 0x100) != 0; }
        public long swpMkExclusive(long e) { return e | 0x100; }
        public long swpClearExclusive(long e) { return e & ~0x100L; }
    }

    private static PhysMem mem(int pageShift) {
        return new PhysMem(MemConfig.ofBytes(pageShift, 64L << 20), new Sched(), 0);
    }

    private static void map(PageTables pt, long addr, long pfn) {
        Walk w = pt.walkAlloc(addr, Level.PTE, new Walk(), "test");
        assertNotNull(w);
        w.table.write(w.index, pt.format().mkLeaf(Level.PTE, pfn, 0), "test");
    }

    private static long lookup(PageTables pt, long addr) {
        Walk w = pt.walk(addr, new Walk(), "test");
        assertTrue(w.leafPresent, "nothing mapped at " + Long.toHexString(addr));
        return pt.format().leafPfn(w.level, w.entry);
    }

    @Test
    void s390RegionAndSegmentTablesOverSmallPageTablesWithFragmentsAndUpgrade() {
        // region-first 53, region-second 42, region-third 31, segment 20, page 12;
        // 2048-entry region/segment tables, 256-entry page tables; a new mm has 3 levels.
        Geometry three = new Geometry(12, new int[] {53, 42, 31, 20, 12}, new int[] {11, 11, 11, 11, 8},
                Level.PUD, (1 << Level.PMD.ordinal()) | (1 << Level.PUD.ordinal()));
        assertEquals(4L << 40, three.addressLimit(), "3 levels reach 4 TB");
        assertEquals(2048 * 8, three.tableBytes(Level.PMD));
        assertEquals(256 * 8, three.tableBytes(Level.PTE));
        PhysMem mem = mem(12);
        PageTables pt = new PageTables(mem, three, new TestFormat(), new int[] {1, 1, 1, 1, 2});
        map(pt, 0x1000, 7);
        map(pt, 0x100000, 8); // next segment: a second 2K page table, in the same page
        Walk a = pt.walk(0x1000, new Walk(), "t");
        Walk b = pt.walk(0x100000, new Walk(), "t");
        assertSame(a.table.page(), b.table.page(), "two 2K page tables share one 4K page (fragments)");
        assertNotEquals(a.table.phys(), b.table.phys());
        // The split lock lives in the ptdesc (ptlock_ptr()), so both page tables take the same one.
        assertSame(a.table.ptl(), b.table.ptl(), "fragments of one page share its split lock");
        assertEquals("ptl(pte table @0x" + Long.toHexString(a.table.phys() & -4096L) + ")", b.table.ptl().toString());
        assertEquals(7, lookup(pt, 0x1000));
        assertEquals(8, lookup(pt, 0x100000));

        // crst_table_upgrade(): a region-second table on top, its entry 0 pointing at the old top.
        Geometry four = three.withTop(Level.P4D);
        assertEquals(8L << 50, four.addressLimit(), "4 levels reach 8 PB");
        PageTable newTop = pt.allocTable(Level.P4D, 0);
        newTop.write(0, pt.format().mkTable(Level.P4D, pt.root().phys()), "crst_table_upgrade");
        pt.replaceRoot(newTop, four);
        assertEquals(7, lookup(pt, 0x1000), "old mappings survive the upgrade");
        map(pt, 5L << 40, 9); // above the old 4 TB limit
        assertEquals(9, lookup(pt, 5L << 40));
    }

    @Test
    void powerpcRadix64kPagesWith256BytePteFragments() {
        // radix 64K: PGD/PUD/PMD/PTE index bits 13/9/9/5; a PTE table is 256 bytes.
        Geometry g = new Geometry(16, new int[] {39, 39, 30, 21, 16}, new int[] {13, 13, 9, 9, 5},
                Level.P4D, (1 << Level.PMD.ordinal()) | (1 << Level.PUD.ordinal()));
        assertEquals(256, g.tableBytes(Level.PTE));
        assertEquals(2L << 20, g.size(Level.PMD), "a PTE table spans 2M");
        assertEquals(1L << 52, g.addressLimit(), "4 PB");
        PhysMem mem = mem(16);
        PageTables pt = new PageTables(mem, g, new TestFormat(), new int[] {1, 1, 1, 1, 256});
        for (int i = 0; i < 4; i++) {
            map(pt, (long) i << 21, 100 + i);
        }
        Walk w0 = pt.walk(0, new Walk(), "t");
        Walk w3 = pt.walk(3L << 21, new Walk(), "t");
        assertSame(w0.table.page(), w3.table.page(), "256-byte PTE fragments share a 64K page");
        for (int i = 0; i < 4; i++) {
            assertEquals(100 + i, lookup(pt, (long) i << 21));
        }
        pt.freeTable(w0.table, "test");
        assertFalse(w3.table.page().freed(), "the page stays while other fragments live");
    }

    @Test
    void fragmentsLargerThanTheirTablesAndFragmentsThatDoNotFit() {
        // powerpc hash 64K: a 2K PTE table at the start of each 4K fragment (the hash-slot half
        // follows it), 16 to a 64K page.
        Geometry g = new Geometry(16, new int[] {44, 44, 34, 24, 16}, new int[] {0, 8, 10, 10, 8},
                Level.P4D, 1 << Level.PMD.ordinal());
        PhysMem mem = mem(16);
        PageTables pt = new PageTables(mem, g, new TestFormat(), new int[] {1, 1, 1, 4, 16});
        map(pt, 0, 1);
        map(pt, 16L << 20, 2);
        Walk a = pt.walk(0, new Walk(), "t");
        Walk b = pt.walk(16L << 20, new Walk(), "t");
        assertSame(a.table.page(), b.table.page());
        assertEquals(4096, b.table.phys() - a.table.phys(), "fragments are equal slices of the page");
        assertSame(b.table, pt.tableAt(b.table.phys()));
        assertEquals(2, lookup(pt, 16L << 20));
        assertThrows(IllegalArgumentException.class,
                () -> new PageTables(mem, g, new TestFormat(), new int[] {1, 1, 1, 1, 64}), "64 2K tables in 64K");
    }

    @Test
    void arm64SixteenKWithFoldedTopLevel() {
        // 16K granule, 47-bit VA: 3 levels of 11 bits over 14-bit pages; P4D and the kernel's
        // PGD fold into the top table, whose 2048 entries each map 64G.
        Geometry g = new Geometry(14, new int[] {36, 36, 36, 25, 14}, new int[] {0, 0, 11, 11, 11},
                Level.PUD, 1 << Level.PMD.ordinal());
        assertTrue(g.folded(Level.P4D));
        assertEquals(2048, g.entries(Level.PUD));
        assertEquals(1L << 47, g.addressLimit());
        assertEquals(32L << 20, g.size(Level.PMD), "a 16K PMD maps 32M");
        PhysMem mem = new PhysMem(MemConfig.ofBytes(14, 64L << 20), new Sched(), 0);
        PageTables pt = new PageTables(mem, g, new TestFormat(), new int[] {1, 1, 1, 1, 1});
        map(pt, 0x7ff000000000L, 42);
        assertEquals(42, lookup(pt, 0x7ff000000000L));
        assertEquals(3, g.levels());
    }
}
